using Microsoft.Extensions.Options;

namespace RegistryCredentials.Aws.Internal;

/// <summary>Checks <see cref="AwsEcrOptions"/> when the host starts and reports every problem at once.</summary>
internal sealed class AwsEcrOptionsValidator : IValidateOptions<AwsEcrOptions>
{
    public ValidateOptionsResult Validate(string? name, AwsEcrOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        CheckUrl(options.ServiceUrl, nameof(AwsEcrOptions.ServiceUrl), errors);
        CheckUrl(options.StsServiceUrl, nameof(AwsEcrOptions.StsServiceUrl), errors);
        if (options.Region is { } region && !EcrRegistryHost.IsRegionName(region))
        {
            errors.Add($"AwsEcrOptions.Region '{region}' is not an AWS region name (such as us-east-1).");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            errors.Add($"AwsEcrOptions.MaxRetries must be 0 to 10 (was {options.MaxRetries}).");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero || options.RetryMaxDelay < options.RetryBaseDelay || options.RetryMaxDelay > TimeSpan.FromMinutes(5))
        {
            errors.Add("AwsEcrOptions.RetryBaseDelay must not be negative and RetryMaxDelay must be at least RetryBaseDelay and at most 5 minutes.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add("AwsEcrOptions.RequestTimeout must be more than 0 and at most 10 minutes.");
        }

        if (options.RoleSessionDuration < TimeSpan.FromMinutes(15) || options.RoleSessionDuration > TimeSpan.FromHours(12))
        {
            errors.Add("AwsEcrOptions.RoleSessionDuration must be 15 minutes to 12 hours (STS's limits).");
        }

        if (string.IsNullOrWhiteSpace(options.RoleSessionName) || options.RoleSessionName.Length is < 2 or > 64
            || !options.RoleSessionName.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '=' or ',' or '.' or '@' or '-' or '+'))
        {
            errors.Add("AwsEcrOptions.RoleSessionName must be 2 to 64 characters of letters, digits and _=,.@-+ (STS's rule).");
        }

        foreach (var (alias, target) in options.RegistryAliases)
        {
            if (!RegistryScope.TryParse(alias, out var scope) || scope.IsGlob || !string.IsNullOrEmpty(scope.Path))
            {
                errors.Add($"AwsEcrOptions.RegistryAliases key '{alias}' is not a registry host[:port].");
            }

            if (!EcrRegistryHost.TryParse(target, out _))
            {
                errors.Add($"AwsEcrOptions.RegistryAliases['{alias}'] = '{target}' is not an Amazon ECR registry host.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckUrl(Uri? url, string what, List<string> errors)
    {
        if (url is not null
            && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp) || !string.IsNullOrEmpty(url.Query)))
        {
            errors.Add($"AwsEcrOptions.{what} '{url}' must be an absolute https:// (or http://) URL without a query.");
        }
    }
}
