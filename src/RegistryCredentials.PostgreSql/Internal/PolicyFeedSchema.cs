namespace RegistryCredentials.PostgreSql.Internal;

/// <summary>
/// Schema step 6: policy writes in the change feed. A row of <c>changes</c> has a <c>kind</c> (0: an entry, 1: the policy
/// of <c>account</c>, with an empty scope); policy writes raise the revision counter and log their change in the same
/// statement, after the policy's row lock, exactly as entry writes do (<see cref="PolicySchema"/>).
/// </summary>
internal static class PolicyFeedSchema
{
    public const string Description = "policy writes in the change feed";

    /// <summary>
    /// The migration, given the quoted schema name. The changes logged before it have no policy rows, so they are dropped: a
    /// node that had followed the feed before the upgrade gets a gap and reads everything again, policies included.
    /// </summary>
    public static string Sql(string schema) => $"""
        ALTER TABLE {schema}.changes ADD COLUMN kind smallint NOT NULL DEFAULT 0 CHECK (kind IN (0, 1));
        DELETE FROM {schema}.changes;
        COMMENT ON COLUMN {schema}.changes.kind IS 'RegistryCredentials: 0 for a change of the entry (account, scope), '
            '1 for a change of the policy of account (scope empty).';
        """;
}
