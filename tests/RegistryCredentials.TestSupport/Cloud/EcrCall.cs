using System.Net;

namespace RegistryCredentials.Tests.Support.Cloud;

/// <summary>One <c>GetAuthorizationToken</c> request as <see cref="FakeEcrEndpoint"/> saw it (<see cref="Host"/>: its <c>Host</c> header).</summary>
public sealed record EcrCall(
    DateTimeOffset At,
    string Target,
    string? AccessKeyId,
    string? Region,
    string? Service,
    string? SessionToken,
    IReadOnlyList<string> RegistryIds,
    IReadOnlyList<string> SignedHeaders,
    HttpStatusCode Status,
    string? ErrorCode,
    string? Host = null);
