namespace RegistryCredentials;

/// <summary>
/// Thrown by <see cref="ImageReference.Parse(string)"/> when a string is not a valid image reference.
/// The message names the offending part; <see cref="Part"/> says which part it was.
/// </summary>
public sealed class ImageReferenceFormatException : FormatException
{
    /// <summary>Creates an exception for an invalid reference.</summary>
    public ImageReferenceFormatException()
        : this("The image reference is not valid.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public ImageReferenceFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ImageReferenceFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception naming the offending part of <paramref name="reference"/>.</summary>
    /// <param name="reference">The text that failed to parse.</param>
    /// <param name="part">The part that is wrong.</param>
    /// <param name="reason">What is wrong with it.</param>
    public ImageReferenceFormatException(string reference, ImageReferencePart part, string reason)
        : base($"Invalid image reference '{reference}': {reason}.")
    {
        Reference = reference;
        Part = part;
        Reason = reason;
    }

    /// <summary>The text that failed to parse, if known.</summary>
    public string? Reference { get; }

    /// <summary>The part of the reference that is wrong.</summary>
    public ImageReferencePart Part { get; }

    /// <summary>What is wrong with that part, without the surrounding sentence.</summary>
    public string? Reason { get; }
}
