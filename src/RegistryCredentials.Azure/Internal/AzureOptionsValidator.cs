using Microsoft.Extensions.Options;

namespace RegistryCredentials.Azure.Internal;

/// <summary>Checks <see cref="AzureOptions"/> and reports every problem at once.</summary>
internal sealed class AzureOptionsValidator : IValidateOptions<AzureOptions>
{
    public ValidateOptionsResult Validate(string? name, AzureOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.AuthorityHost is { } authority && (!authority.IsAbsoluteUri || authority.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"AzureOptions.AuthorityHost must be an absolute HTTPS URI ('{authority}' is not).");
        }

        if (string.IsNullOrWhiteSpace(options.TokenScope))
        {
            failures.Add("AzureOptions.TokenScope is empty.");
        }

        if (options.RefreshMargin < TimeSpan.Zero)
        {
            failures.Add("AzureOptions.RefreshMargin must not be negative.");
        }

        if (options.ExpiryMargin < TimeSpan.Zero)
        {
            failures.Add("AzureOptions.ExpiryMargin must not be negative.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            failures.Add("AzureOptions.RequestTimeout must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
