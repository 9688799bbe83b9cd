namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>
/// The JSON body an endpoint reads itself. Documented by <see cref="RegistryOperationTransformer"/> instead of with
/// <c>Accepts&lt;T&gt;()</c>, whose content-type check would answer a wrong media type with a bare 415 before the
/// endpoint's problem details could.
/// </summary>
internal sealed class RegistryRequestBodyMetadata(Type type)
{
    public Type Type { get; } = type;
}
