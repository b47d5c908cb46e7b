using Microsoft.AspNetCore.Mvc;

namespace PolicyMatch.Web.Features.ApiDocs;

/// <summary>A readable page about the JSON API; the machine-readable document is /openapi/v1.json.</summary>
[ApiExplorerSettings(IgnoreApi = true)]
public sealed class ApiDocsController : Controller
{
    [HttpGet("/api-docs")]
    public IActionResult Index() => View();
}
