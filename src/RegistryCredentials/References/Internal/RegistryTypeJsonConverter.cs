namespace RegistryCredentials.Internal;

/// <summary>Writes a <see cref="RegistryType"/> as its name and reads it back.</summary>
internal sealed class RegistryTypeJsonConverter : StringValueJsonConverter<RegistryType>
{
    protected override RegistryType Parse(string value) => RegistryType.Parse(value);

    protected override string Format(RegistryType value) => value.Value;
}
