using System.Globalization;
using System.Text.RegularExpressions;

namespace RegistryCredentials.Cli.Interop;

/// <summary>Go's <c>time.Duration</c> text (what the kubelet reads): <c>1h0m0s</c>, <c>5m0s</c>, <c>45s</c>, <c>0s</c>, in whole seconds.</summary>
internal static partial class GoDuration
{
    /// <summary>Formats as Go's <c>Duration.String()</c> does, truncated to whole seconds; negative is <c>0s</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        var total = (long)Math.Floor(duration.TotalSeconds);
        if (total <= 0)
        {
            return "0s";
        }

        var hours = total / 3600;
        var minutes = total % 3600 / 60;
        var seconds = total % 60;
        return hours > 0 ? string.Create(CultureInfo.InvariantCulture, $"{hours}h{minutes}m{seconds}s")
            : minutes > 0 ? string.Create(CultureInfo.InvariantCulture, $"{minutes}m{seconds}s")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds}s");
    }

    /// <summary>Parses whole-unit Go durations such as <c>5m</c>, <c>1h30m</c>, <c>300s</c>, <c>1h0m0s</c>.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var match = Pattern().Match(text);
        if (!match.Success || match.Length == 0)
        {
            return false;
        }

        long Part(string name) => match.Groups[name].Success ? long.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        duration = TimeSpan.FromHours(Part("h")) + TimeSpan.FromMinutes(Part("m")) + TimeSpan.FromSeconds(Part("s"));
        return true;
    }

    [GeneratedRegex(@"^(?:(?<h>\d{1,6})h)?(?:(?<m>\d{1,8})m)?(?:(?<s>\d{1,10})s)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
