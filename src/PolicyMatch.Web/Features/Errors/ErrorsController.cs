using PolicyMatch.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc;

namespace PolicyMatch.Web.Features.Errors;

public sealed record ErrorView(int Status)
{
    /// <summary>What was wrong with the request, when the portal refused it before a controller saw it.</summary>
    public Infrastructure.Web.Hardening.RefusedInput? Refused { get; init; }
}

/// <summary>Error pages in the user's language; API paths get JSON instead of a page.</summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class ErrorsController : Controller
{
    [Route("/error")]
    [Route("/error/{status:int}")]
    [IgnoreAntiforgeryToken]
    public IActionResult Show([FromRoute] int? status)
    {
        // A re-executed error (a POST among them) takes its status from the original response, and never binds
        // anything from the request's form: that form may be the bad input that brought it here.
        var reExecuted = HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>();
        var code = reExecuted?.OriginalStatusCode ?? status ?? StatusCodes.Status500InternalServerError;
        // Only a real error status goes into the status line: /error/-1 or /error/200 asked for directly is not one.
        if (code is < 400 or > 599 || string.IsNullOrEmpty(Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(code)))
        {
            code = StatusCodes.Status404NotFound;
        }
        var original = reExecuted?.OriginalPath
            ?? HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerPathFeature>()?.Path;
        Response.StatusCode = code;
        if (original?.StartsWith("/api/", StringComparison.Ordinal) == true)
        {
            return new ObjectResult(new ApiError(code == 404 ? "not found" : $"error {code}", [])) { StatusCode = code };
        }
        return View(new ErrorView(code) { Refused = Infrastructure.Web.Hardening.RefusedInputOf(HttpContext) });
    }
}
