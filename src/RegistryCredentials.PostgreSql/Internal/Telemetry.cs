using System.Diagnostics;

namespace RegistryCredentials.PostgreSql.Internal;

/// <summary>The package's <see cref="ActivitySource"/>, named <c>RegistryCredentials.PostgreSql</c>.</summary>
internal static class Telemetry
{
    public const string Name = "RegistryCredentials.PostgreSql";

    public static readonly ActivitySource ActivitySource = new(Name);

    public static Activity? Start(string operation, string? account)
    {
        var activity = ActivitySource.StartActivity("registry_store " + operation, ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("db.system.name", "postgresql");
            activity.SetTag("db.operation.name", operation);
            if (account is not null)
            {
                activity.SetTag("registrycredentials.account", account);
            }
        }

        return activity;
    }
}
