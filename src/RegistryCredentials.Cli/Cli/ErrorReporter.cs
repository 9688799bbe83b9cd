using Microsoft.Extensions.Options;

namespace RegistryCredentials.Cli.Cli;

/// <summary>
/// Maps exceptions to the documented exit codes and a one-line message (never a stack trace, never a secret). The exit
/// code is the one of the exception's reason in <see cref="RegistryErrorCatalog"/>, the table the HTTP API reads too.
/// </summary>
internal static class ErrorReporter
{
    public static int ExitCodeFor(Exception exception) => Unwrap(exception) switch
    {
        OperationCanceledException => ExitCodes.Cancelled,
        RegcredException e => e.ExitCode,
        var e => RegistryErrorCatalog.For(e).ExitCode,
    };

    public static string MessageFor(Exception exception)
    {
        var e = Unwrap(exception);
        var message = e switch
        {
            OptionsValidationException options => "invalid settings: " + string.Join("; ", options.Failures),
            ArgumentException argument when argument.ParamName is not null => StripParameterSuffix(argument.Message, argument.ParamName),
            OperationCanceledException => "cancelled",

            // The library speaks of its request property; on the command line it is an option.
            RegistryValidationException => e.Message.Replace("Validate = false", "--validate=false", StringComparison.Ordinal),
            _ => e.Message,
        };
        return Terminal.OneLine(message);
    }

    public static int Report(Terminal terminal, Exception exception)
    {
        terminal.WriteError(MessageFor(exception));
        return ExitCodeFor(exception);
    }

    private static Exception Unwrap(Exception exception) =>
        exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0]) : exception;

    private static string StripParameterSuffix(string message, string parameter)
    {
        var suffix = $" (Parameter '{parameter}')";
        return message.EndsWith(suffix, StringComparison.Ordinal) ? message[..^suffix.Length] : message;
    }
}
