using Microsoft.AspNetCore.Http;

namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>The account of the current request, as the API filter found it.</summary>
internal static class RequestAccount
{
    private static readonly object Key = new();

    public static void Set(HttpContext context, string account) => context.Items[Key] = account;

    public static string Get(HttpContext context) =>
        context.Items.TryGetValue(Key, out var value) && value is string account
            ? account
            : throw new InvalidOperationException("The request has no account: the RegistryCredentials API filter did not run.");
}
