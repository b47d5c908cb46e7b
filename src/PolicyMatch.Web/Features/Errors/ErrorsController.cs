using Microsoft.AspNetCore.Mvc;

namespace PolicyMatch.Web.Features.Errors;

public sealed record ErrorView(int Status);

/// <summary>Error pages in the user's language; API paths get JSON instead of a page.</summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class ErrorsController : Controller
{
    [Route("/error")]
    [Route("/error/{status:int}")]
    [IgnoreAntiforgeryToken]
    public IActionResult Show(int? status)
    {
        var code = status ?? StatusCodes.Status500InternalServerError;
        // Only a real error status goes into the status line: /error/-1 or /error/200 asked for directly is not one.
        if (code is < 400 or > 599 || string.IsNullOrEmpty(Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(code)))
        {
            code = StatusCodes.Status404NotFound;
        }
        var original = HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>()?.OriginalPath
            ?? HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerPathFeature>()?.Path;
        Response.StatusCode = code;
        if (original?.StartsWith("/api/", StringComparison.Ordinal) == true)
        {
            return new ObjectResult(new Api.ApiError(code == 404 ? "not found" : $"error {code}", [])) { StatusCode = code };
        }
        return View(new ErrorView(code));
    }
}
