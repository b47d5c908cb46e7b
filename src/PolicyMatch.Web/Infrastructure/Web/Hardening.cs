using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Net.Http.Headers;

namespace PolicyMatch.Web.Infrastructure.Web;

/// <summary>Per-client request rates for the endpoints anyone can hammer (see the README's "Limits").</summary>
public sealed class RateLimitOptions
{
    /// <summary>
    /// <c>POST /api/rules/evaluate</c> per client address per minute. It is anonymous and each call may spend up
    /// to the engine's budget (tens of milliseconds): 60 a minute is a rule author's pace with room to spare,
    /// and caps one address at about a core-second a minute.
    /// </summary>
    public int RulesPerMinute { get; set; } = 60;

    /// <summary>
    /// <c>POST /account/login</c> per client address per minute, beside the per-account lock (5 failures in 15
    /// minutes): 20 is more than a person mistyping, while one address can no longer lock many accounts or
    /// try one password on many emails quickly.
    /// </summary>
    public int LoginsPerMinute { get; set; } = 20;
}

public static class Hardening
{
    public const string RulesPolicy = "rules";
    public const string LoginPolicy = "login";

    public static IServiceCollection AddHardening(this IServiceCollection services, IConfiguration configuration)
    {
        // Read per request from IOptions: configuration added after registration (tests, hosts) must count.
        services.Configure<RateLimitOptions>(configuration.GetSection("RateLimits"));
        static RateLimitOptions Of(HttpContext c) => c.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<RateLimitOptions>>().Value;
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(RulesPolicy, context => PerClient(context, Of(context).RulesPerMinute));
            limiter.AddPolicy(LoginPolicy, context => PerClient(context, Of(context).LoginsPerMinute));
            limiter.OnRejected = async (context, ct) =>
            {
                var response = context.HttpContext.Response;
                response.Headers.RetryAfter = "60";
                if (context.HttpContext.Request.Path.StartsWithSegments("/api"))
                {
                    await response.WriteAsJsonAsync(new ApiError(
                        "too many requests from this address: wait a minute",
                        [new ApiProblem("$", $"at most {Of(context.HttpContext).RulesPerMinute} requests per minute")]), ct);
                    return;
                }
                response.ContentType = "text/plain; charset=utf-8";
                await response.WriteAsync(L.T("请求过于频繁,请一分钟后再试。", "Too many requests: try again in a minute."), ct);
            };
        });
        return services;
    }

    /// <summary>A fixed one-minute window per client address (behind a proxy, configure forwarded headers first).</summary>
    private static RateLimitPartition<string> PerClient(HttpContext context, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });

    /// <summary>
    /// The policy every page passes: scripts and styles only from this site (the views' scripts are files under
    /// wwwroot/js), except inline style attributes, which a few views use for layout and which cannot run code;
    /// no framing, no plugins, forms post only here.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// Headers on every response, and no-store on every response to a signed-in user: only signed-in users see a
    /// company's data (pages and exports), and a shared computer or proxy must not keep a copy.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers[HeaderNames.XContentTypeOptions] = "nosniff";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers[HeaderNames.XFrameOptions] = "DENY";
                headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
                if (context.User.Identity?.IsAuthenticated == true)
                {
                    headers[HeaderNames.CacheControl] = "no-store";
                    headers[HeaderNames.Pragma] = "no-cache";
                }
                return Task.CompletedTask;
            });
            await next();
        });

    /// <summary>
    /// Input the framework refuses while reading a request — a form value over its 4 MB limit, multipart without
    /// a boundary, a body cut short — is the client's error: 400 (shown by the error page), not 500.
    /// </summary>
    public static IApplicationBuilder UseBadInputAs400(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            try
            {
                await next();
            }
            catch (Exception e) when (IsBadInput(e) && !context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
            }
        });

    /// <summary>Why a request was refused before it reached a controller, for the error page to say.</summary>
    public enum RefusedInput
    {
        /// <summary>A U+0000 in a form field or the query (%00): PostgreSQL cannot store it and SQLite cuts text at it.</summary>
        Nul,

        /// <summary>A form over the framework's limits (a field over 4 MB, too many fields).</summary>
        TooLarge,

        /// <summary>multipart/form-data without the boundary that separates its parts.</summary>
        NoBoundary,
    }

    /// <summary>The reason this request was refused, set by <see cref="UseFormInputChecks"/>.</summary>
    public static RefusedInput? RefusedInputOf(HttpContext context) =>
        context.Items.TryGetValue(typeof(RefusedInput), out var value) ? value as RefusedInput? : null;

    /// <summary>
    /// Checks every request's query and urlencoded form once, before any controller or SQL sees them, so each
    /// form (registration, login, company, profile, join, subscriptions and any added later) refuses the same
    /// bad input the same way: a NUL anywhere → 400; a form over its limits → 413; multipart without a boundary
    /// → 400. The error page says which, in the user's language. The form read here is the one MVC binds from
    /// (ASP.NET Core keeps it on the request), so nothing is read twice.
    /// </summary>
    public static IApplicationBuilder UseFormInputChecks(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null)
            {
                // The error page for a request refused here: it runs with the same query and form; let it through.
                await next();
                return;
            }
            var request = context.Request;
            RefusedInput? refused = null;
            if (request.Query.Any(q => HasNul(q.Key) || q.Value.Any(HasNul)))
            {
                refused = RefusedInput.Nul;
            }
            else if (MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
                && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
                && HeaderUtilities.RemoveQuotes(type.Boundary).Length == 0)
            {
                refused = RefusedInput.NoBoundary;
            }
            else if (type?.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
            {
                try
                {
                    var form = await request.ReadFormAsync(context.RequestAborted);
                    if (form.Any(f => HasNul(f.Key) || f.Value.Any(HasNul)))
                    {
                        refused = RefusedInput.Nul;
                    }
                }
                catch (InvalidDataException e)
                {
                    // An urlencoded body is parsed leniently: the form reader throws when a limit is passed (key or
                    // value length, number of values), or, wrapping the URL decoder's InvalidOperationException,
                    // when a value decodes to a NUL.
                    refused = e.InnerException is InvalidOperationException ? RefusedInput.Nul : RefusedInput.TooLarge;
                }
            }
            if (refused is { } reason)
            {
                context.Items[typeof(RefusedInput)] = reason;
                context.Response.StatusCode = reason == RefusedInput.TooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest;
                return;
            }
            await next();
        });

    private static bool HasNul(string? value) => value?.Contains('\0') == true;

    private static bool IsBadInput(Exception e) => e switch
    {
        InvalidDataException or BadHttpRequestException or ValueProviderException => true,
        { InnerException: { } inner } => IsBadInput(inner),
        _ => false,
    };
}
