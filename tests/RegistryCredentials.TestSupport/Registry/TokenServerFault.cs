namespace RegistryCredentials.Tests.Support.Registry;

/// <summary>How <see cref="TokenServer"/> spoils an otherwise successful token response.</summary>
public enum TokenServerFault
{
    /// <summary>A correct token response.</summary>
    None,

    /// <summary>200 with JSON that has neither <c>token</c> nor <c>access_token</c>.</summary>
    MissingToken,

    /// <summary>200 with <c>Content-Type: application/json</c> and a body that is not JSON (truncated object).</summary>
    BadJson,

    /// <summary>200 with a valid token response padded to 2 MiB (more than 1 MiB).</summary>
    HugeBody,
}
