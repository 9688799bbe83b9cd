using System.Text;

namespace RegistryCredentials.Cli.Cli;

/// <summary>
/// Reads stdin and files as they must be: strict UTF-8 (bytes that are not UTF-8 are refused, never turned into U+FFFD)
/// and bounded (nothing larger than the limit is read into memory; the read stops just past it). Values that .NET has
/// already decoded without checking (arguments, environment variables) cannot be checked byte by byte: there a U+FFFD,
/// which is what invalid bytes became, is refused (<see cref="RequireDecoded"/>).
/// </summary>
internal static class BoundedInput
{
    /// <summary>A password or key file on stdin: 64 KiB, plus the line break <c>echo</c> adds.</summary>
    public const int MaxPasswordChars = RegistryEntryLimits.MaxPasswordBytes + 2;

    /// <summary>A JSON document on stdin (the helper's <c>store</c>, the kubelet's request): 1 MiB.</summary>
    public const int MaxDocumentBytes = 1024 * 1024;

    /// <summary>A Docker config to import: 8 MiB.</summary>
    public const int MaxDockerConfigBytes = 8 * 1024 * 1024;

    /// <summary>The strict decoder of stdin (see <see cref="Terminal.CreateSystem"/>).</summary>
    public static UTF8Encoding StrictUtf8 { get; } = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Everything <paramref name="reader"/> holds, at most <paramref name="maxChars"/> characters.</summary>
    /// <exception cref="RegcredException">More than that, or bytes that are not UTF-8.</exception>
    public static string ReadAll(TextReader reader, int maxChars, string what) =>
        ReadAllAsync(reader, maxChars, what, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc cref="ReadAll"/>
    public static async ValueTask<string> ReadAllAsync(TextReader reader, int maxChars, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var text = new StringBuilder();
        var buffer = new char[Math.Min(maxChars + 1, 16 * 1024)];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, maxChars + 1 - text.Length)), cancellationToken)) > 0)
            {
                text.Append(buffer, 0, read);
                if (text.Length > maxChars)
                {
                    throw new RegcredException($"{what} is larger than {Size(maxChars)}; nothing was read past that.");
                }
            }
        }
        catch (DecoderFallbackException)
        {
            throw new RegcredException($"{what} is not valid UTF-8 text.");
        }

        return text.ToString();
    }

    /// <summary>A file's text: at most <paramref name="maxBytes"/> (checked before reading), strict UTF-8, a UTF-8 byte order mark dropped.</summary>
    /// <exception cref="RegcredException">Larger, or not UTF-8.</exception>
    public static string ReadFile(string path, int maxBytes, string what)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (stream.CanSeek && stream.Length > maxBytes)
        {
            throw new RegcredException($"{what} is larger than {Size(maxBytes)}.");
        }

        // Not detectEncodingFromByteOrderMarks: a UTF-16 mark would switch to a decoder that does not check.
        using var reader = new StreamReader(stream, StrictUtf8, detectEncodingFromByteOrderMarks: false);
        var text = ReadAll(reader, maxBytes, what);
        return text.StartsWith('\uFEFF') ? text[1..] : text;
    }

    /// <summary>Refuses a value .NET decoded unchecked (argument, environment) that holds U+FFFD, the trace of invalid UTF-8.</summary>
    /// <exception cref="RegcredException">It holds one.</exception>
    public static string RequireDecoded(string value, string what) =>
        value.Contains('\uFFFD', StringComparison.Ordinal)
            ? throw new RegcredException(
                $"{what} holds U+FFFD, the replacement character: it was not valid UTF-8 (regcred does not take U+FFFD "
                + $"from arguments or the environment; pipe the value as UTF-8 with --password-stdin where there is one).")
            : value;

    private static string Size(int bytes) => bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB" : $"{bytes / 1024} KiB";
}
