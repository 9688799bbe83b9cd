using Microsoft.Extensions.Options;

namespace RegistryCredentials.Google.Internal;

/// <summary>Validates <see cref="GoogleOptions"/>, reporting every error together.</summary>
internal sealed class GoogleOptionsValidator : IValidateOptions<GoogleOptions>
{
    public static readonly TimeSpan MaxTokenRequestTimeout = TimeSpan.FromMinutes(10);

    public ValidateOptionsResult Validate(string? name, GoogleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Scope))
        {
            errors.Add("GoogleOptions.Scope is empty: give an OAuth scope such as " + GoogleOptions.DefaultScope + ".");
        }
        else if (options.Scope.Any(char.IsControl))
        {
            errors.Add("GoogleOptions.Scope contains a control character.");
        }

        if (options.TokenUri is { } tokenUri && TokenEndpoint.Check(tokenUri) is { } problem)
        {
            errors.Add("GoogleOptions.TokenUri: " + problem + ".");
        }

        if (options.TokenRequestTimeout <= TimeSpan.Zero || options.TokenRequestTimeout > MaxTokenRequestTimeout)
        {
            errors.Add($"GoogleOptions.TokenRequestTimeout must be more than zero and at most {MaxTokenRequestTimeout.TotalMinutes} minutes.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>The scopes of <see cref="GoogleOptions.Scope"/>.</summary>
    public static string[] Scopes(GoogleOptions options) =>
        options.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
