namespace RegistryServer.Hosting;

/// <summary>Which store the server keeps its entries in (<c>RegistryServer:Store</c>).</summary>
internal enum StoreKind
{
    /// <summary>One SQLite file (<c>RegistryServer:Database</c>): one server.</summary>
    Sqlite,

    /// <summary>PostgreSQL (<c>ConnectionStrings:RegistryCredentials</c>): several servers share it.</summary>
    PostgreSql,
}
