namespace RegistryCredentials;

/// <summary>Account (tenant) names. Entries are grouped by account; scopes are unique within one.</summary>
public static class RegistryAccounts
{
    /// <summary>The account used when none is named: <c>default</c>.</summary>
    public const string Default = "default";

    /// <summary>Checks an account name: 1 to 128 characters of letters, digits, <c>.</c>, <c>_</c>, <c>-</c> and <c>@</c>.</summary>
    /// <param name="account">The name to check.</param>
    /// <returns>True when the name is valid.</returns>
    public static bool IsValid(string? account)
    {
        if (string.IsNullOrEmpty(account) || account.Length > 128)
        {
            return false;
        }

        foreach (var c in account)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-' or '@'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns <paramref name="account"/>, or <see cref="Default"/> when it is null.</summary>
    /// <param name="account">The account name or null.</param>
    /// <returns>A valid account name.</returns>
    /// <exception cref="ArgumentException">The name is not valid.</exception>
    public static string Normalize(string? account)
    {
        if (account is null)
        {
            return Default;
        }

        if (!IsValid(account))
        {
            throw new ArgumentException(
                $"'{account}' is not a valid account name: use 1-128 letters, digits, '.', '_', '-' or '@'.",
                nameof(account));
        }

        return account;
    }
}
