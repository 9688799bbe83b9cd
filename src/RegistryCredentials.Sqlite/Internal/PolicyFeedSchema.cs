namespace RegistryCredentials.Sqlite.Internal;

/// <summary>
/// Schema step 6: policy writes in the change feed. Each write of <c>registry_policies</c> logs its revision in
/// <c>registry_changes</c> (kind 1, the account, an empty scope) in the same trigger that raises the counter, trimmed with
/// the entry changes; and its statements.
/// </summary>
internal static class PolicyFeedSchema
{
    public const string Description = "policy writes in the change feed";

    /// <summary>
    /// The migration. The changes logged before it have no policy rows, so they are dropped: a reader that had followed the
    /// feed before the upgrade gets a gap and reads everything again, policies included.
    /// </summary>
    public const string Sql = """
        -- kind 0: an entry (account, scope); kind 1: the policy of an account (scope empty).
        ALTER TABLE registry_changes ADD COLUMN kind INTEGER NOT NULL DEFAULT 0;
        DELETE FROM registry_changes;

        DROP TRIGGER registry_policies_inserted;
        DROP TRIGGER registry_policies_updated;
        DROP TRIGGER registry_policies_deleted;
        CREATE TRIGGER registry_policies_inserted AFTER INSERT ON registry_policies
        BEGIN
            UPDATE registry_revision SET revision = revision + 1 WHERE id = 1;
            INSERT INTO registry_changes (revision, account, scope, kind) SELECT revision, NEW.account, '', 1 FROM registry_revision WHERE id = 1;
            DELETE FROM registry_changes WHERE revision <= (SELECT revision - 10000 FROM registry_revision WHERE id = 1);
        END;
        CREATE TRIGGER registry_policies_updated AFTER UPDATE ON registry_policies
        BEGIN
            UPDATE registry_revision SET revision = revision + 1 WHERE id = 1;
            INSERT INTO registry_changes (revision, account, scope, kind) SELECT revision, NEW.account, '', 1 FROM registry_revision WHERE id = 1;
            DELETE FROM registry_changes WHERE revision <= (SELECT revision - 10000 FROM registry_revision WHERE id = 1);
        END;
        CREATE TRIGGER registry_policies_deleted AFTER DELETE ON registry_policies
        BEGIN
            UPDATE registry_revision SET revision = revision + 1 WHERE id = 1;
            INSERT INTO registry_changes (revision, account, scope, kind) SELECT revision, OLD.account, '', 1 FROM registry_revision WHERE id = 1;
            DELETE FROM registry_changes WHERE revision <= (SELECT revision - 10000 FROM registry_revision WHERE id = 1);
        END;
        """;

    /// <summary>
    /// The accounts whose policy changed after <c>$after</c>, each once with the revision of its last change, with the policy
    /// as it now is (its columns null when none is stored), in revision order: account, default_registry,
    /// allowed_registries, updated_on, version, revision.
    /// </summary>
    public const string ChangesAfter = """
        SELECT c.account, p.default_registry, p.allowed_registries, p.updated_on, p.version, c.revision
        FROM (SELECT account, MAX(revision) AS revision FROM registry_changes WHERE revision > $after AND kind = 1 GROUP BY account) AS c
        LEFT JOIN registry_policies AS p ON p.account = c.account
        ORDER BY c.revision
        """;
}
