namespace RegistryServer.Hosting;

/// <summary>The server's request pipeline: HTTPS only (unless allowed), health checks.</summary>
internal static class ServerApplicationExtensions
{
    /// <summary>
    /// Without <c>RegistryServer:AllowHttp</c>: HSTS, and a request that came over plain HTTP is refused with 403 before any
    /// endpoint runs (redirecting would only teach clients to send their token over HTTP first).
    /// </summary>
    public static WebApplication UseServerTransportSecurity(this WebApplication app, ServerSettings settings)
    {
        if (settings.AllowHttp)
        {
            return app;
        }

        app.UseHsts();
        app.Use(async (context, next) =>
        {
            if (!context.Request.IsHttps)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync("HTTPS is required.", context.RequestAborted);
                return;
            }

            await next(context);
        });
        return app;
    }
}
