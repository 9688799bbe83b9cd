namespace RegistryCredentials.Internal;

/// <summary>Writes a <see cref="RegistryScope"/> as its normalised text and reads it back.</summary>
internal sealed class RegistryScopeJsonConverter : StringValueJsonConverter<RegistryScope>
{
    protected override RegistryScope Parse(string value) => RegistryScope.Parse(value);

    protected override string Format(RegistryScope value) => value.Value;
}
