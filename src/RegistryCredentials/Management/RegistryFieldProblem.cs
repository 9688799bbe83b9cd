namespace RegistryCredentials;

/// <summary>What is wrong with a field refused with <see cref="RegistryFieldException"/>.</summary>
public enum RegistryFieldProblem
{
    /// <summary>The value is not acceptable for another reason; the message says which.</summary>
    Invalid = 0,

    /// <summary>The value is over its limit (<see cref="RegistryEntryLimits"/>).</summary>
    TooLarge = 1,

    /// <summary>
    /// The text is not well-formed Unicode: it holds an unpaired UTF-16 surrogate, which is what bytes that were not valid
    /// UTF-8 become when decoded without checking. Stored, it would silently turn into U+FFFD.
    /// </summary>
    NotWellFormedText = 2,
}
