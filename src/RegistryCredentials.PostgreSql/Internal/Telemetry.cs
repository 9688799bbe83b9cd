using System.Diagnostics;

namespace RegistryCredentials.PostgreSql.Internal;

/// <summary>
/// The package's <see cref="ActivitySource"/> (name in <see cref="PostgreSqlRegistryStoreTelemetry"/>): one client
/// activity per store operation, named <c>RegistryCredentials.PostgreSql.&lt;Operation&gt;</c> with the database
/// semantic-convention tags. docs/telemetry.md lists them.
/// </summary>
internal static class Telemetry
{
    public static readonly ActivitySource ActivitySource = new(PostgreSqlRegistryStoreTelemetry.ActivitySourceName);

    public static Activity? Start(string operation, string? account)
    {
        if (!ActivitySource.HasListeners())
        {
            return null;
        }

        var name = operation switch
        {
            "get" => "RegistryCredentials.PostgreSql.Get",
            "list" => "RegistryCredentials.PostgreSql.List",
            "add" => "RegistryCredentials.PostgreSql.Add",
            "update" => "RegistryCredentials.PostgreSql.Update",
            "delete" => "RegistryCredentials.PostgreSql.Delete",
            _ => PostgreSqlRegistryStoreTelemetry.ActivitySourceName + "." + operation,
        };
        var activity = ActivitySource.StartActivity(name, ActivityKind.Client);
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
