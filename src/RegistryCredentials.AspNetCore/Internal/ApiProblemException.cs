namespace RegistryCredentials.AspNetCore.Internal;

/// <summary>Thrown by the handlers for a request they refuse; the API filter turns it into a problem response.</summary>
internal sealed class ApiProblemException : Exception
{
    public ApiProblemException()
    {
        Type = RegistryProblemTypes.InvalidBody;
        Title = "Bad request";
    }

    public ApiProblemException(string message)
        : base(message)
    {
        Type = RegistryProblemTypes.InvalidBody;
        Title = "Bad request";
    }

    public ApiProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
        Type = RegistryProblemTypes.InvalidBody;
        Title = "Bad request";
    }

    public ApiProblemException(int status, string type, string title, string detail, string? field = null)
        : base(detail)
    {
        Status = status;
        Type = type;
        Title = title;
        Field = field;
    }

    public int Status { get; } = 400;

    public string Type { get; }

    public string Title { get; }

    /// <summary>The field or parameter at fault, if any.</summary>
    public string? Field { get; }

    public static ApiProblemException InvalidField(string field, string detail) =>
        new(400, RegistryProblemTypes.InvalidField, "Invalid field", detail, field);
}
