using PolicyMatch.Web.Infrastructure.Time;
using PolicyMatch.Web.Infrastructure.Web;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Matching;
using PolicyMatch.Web.Features.Profiles;
using PolicyMatch.Web.Features.Search;

namespace PolicyMatch.Web.Features.Api;

/// <summary>
/// The JSON API: the catalog (open data), matching a profile, trying a rule. Anonymous and read-only
/// except import, which needs the operator's token. No cookies are read here, so antiforgery tokens
/// (a defence for cookie-authenticated forms) do not apply.
/// </summary>
[ApiController]
[Route("api")]
[IgnoreAntiforgeryToken]
[Produces("application/json")]
public sealed class ApiController(
    MatchService matching,
    ProfileValidator profiles,
    CatalogRepository catalog,
    SearchRepository search,
    CatalogImporter importer,
    Rematch.RematchScheduler rematch,
    IOptions<CatalogOptions> catalogOptions,
    TimeProvider clock) : ControllerBase
{
    private const long MaxBodyBytes = 256 * 1024;

    /// <summary>Matches a profile (public fact names) against every published measure on a date.</summary>
    [HttpPost("match")]
    [Consumes("application/json")]
    public async Task<IActionResult> Match(CancellationToken ct)
    {
        var (body, error) = await ApiBody.ReadObjectAsync(Request, MaxBodyBytes, ct);
        if (error is not null) return error;
        var problems = new List<ApiProblem>();
        foreach (var key in body!.Select(kv => kv.Key).Where(k => k is not ("profile" or "as_of")).ToList())
        {
            problems.Add(new ApiProblem($"$.{key}", "unknown field: send { \"profile\": {…}, \"as_of\": \"YYYY-MM-DD\" }"));
        }
        // The business "today" is Beijing's date, whatever the server's zone.
        DateOnly asOf = BeijingTime.Today(clock);
        if (body!["as_of"] is { } asOfNode)
        {
            if (asOfNode.GetValueKind() != JsonValueKind.String ||
                !DateOnly.TryParseExact(asOfNode.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out asOf))
            {
                problems.Add(new ApiProblem("$.as_of", "must be a date YYYY-MM-DD"));
            }
        }
        if (body!["profile"] is not JsonObject profileInput)
        {
            problems.Add(new ApiProblem("$.profile", "is required: an object of profile facts"));
            return ApiBody.Bad("the request is not valid", problems);
        }
        var check = profiles.Check(profileInput, requireIdentity: false);
        problems.AddRange(check.Errors.Select(e => new ApiProblem($"$.profile.{e.Key}", e.Value)));
        if (problems.Count > 0)
        {
            return ApiBody.Bad("the request is not valid", problems);
        }
        var report = await matching.MatchAsync(check.Profile, asOf, ct);
        return new MatchReportJson(report);
    }

    /// <summary>The catalog, or a search of it: q (Chinese full text, any length), district, kind, status, plan.</summary>
    [HttpGet("measures")]
    public async Task<IActionResult> Measures([FromQuery] string? q, [FromQuery] string? district, [FromQuery] string? kind,
        [FromQuery] string? status, [FromQuery] string? plan, CancellationToken ct)
    {
        var problems = new List<ApiProblem>();
        string? districtName = null;
        if (!string.IsNullOrWhiteSpace(district) && (districtName = Facts.NormaliseDistrict(district)) is null)
            problems.Add(new ApiProblem("district", $"'{district}' is not a district name or GB/T 2260 code"));
        if (!string.IsNullOrWhiteSpace(kind) && !CatalogValidator.Kinds.Contains(kind))
            problems.Add(new ApiProblem("kind", $"'{kind}' is not one of {string.Join(", ", CatalogValidator.Kinds)}"));
        if (!string.IsNullOrWhiteSpace(status) && !MeasureStatus.Public.Any(s => s == status))
            problems.Add(new ApiProblem("status", "must be published or retired"));
        if (q is { Length: > 200 })
            problems.Add(new ApiProblem("q", "is longer than 200 characters"));
        if (problems.Count > 0) return ApiBody.Bad("the query is not valid", problems);

        var filters = new SearchFilters(districtName, NullIfEmpty(kind), NullIfEmpty(status), NullIfEmpty(plan));
        var all = (await catalog.GetPublishedAndRetiredAsync(ct: ct)).ToDictionary(m => m.MeasureId);
        if (string.IsNullOrWhiteSpace(q) && !filters.RestrictsMeasures && filters.Plan is null)
        {
            return Ok(new { count = all.Count, measures = all.Values.Select(m => m.ToDocument()) });
        }
        var hits = await search.SearchAsync(q, filters, districtName is null ? null : Reference.RegionsReaching(districtName), SearchRepository.MaxApiHits, ct);
        var measures = hits.Where(h => h.DocKind == "measure" && all.ContainsKey(h.DocKey))
            .Select(h => new { measure = all[h.DocKey].ToDocument(), snippet = h.SnippetHtml })
            .ToList();
        return Ok(new
        {
            count = measures.Count,
            measures = measures.Select(m => m.measure),
            snippets = measures.ToDictionary(m => m.measure.Id, m => m.snippet),
        });
    }

    [HttpGet("measures/{id}")]
    public async Task<IActionResult> Measure(string id, [FromQuery] int? version, CancellationToken ct)
    {
        var measure = await catalog.GetPublicMeasureAsync(id, version, ct);
        if (measure is null)
        {
            return NotFound(new ApiError($"no measure '{id}'" + (version is null ? "" : $" at version {version}"), []));
        }
        return Ok(measure.ToDocument());
    }

    [HttpGet("plans")]
    public async Task<IActionResult> Plans(CancellationToken ct) =>
        Ok((await catalog.GetPlansAsync(ct)).Select(p => new
        {
            id = p.Id, document = p.Document, title = p.Title, issuer = p.Issuer, document_number = p.DocumentNumber,
            published_on = p.PublishedOn, period = new { from = p.PeriodFrom, to = p.PeriodTo }, regions = p.Regions,
        }));

    [HttpGet("notices")]
    public async Task<IActionResult> Notices(CancellationToken ct) => Ok(await catalog.GetNoticeDocumentsAsync(ct));

    /// <summary>Evaluates a rule against data, for rule authors: plain JsonLogic, or three-valued.</summary>
    [HttpPost("rules/evaluate")]
    [Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Infrastructure.Web.Hardening.RulesPolicy)]
    [Consumes("application/json")]
    public async Task<IActionResult> Evaluate(CancellationToken ct)
    {
        var (body, error) = await ApiBody.ReadObjectAsync(Request, MaxBodyBytes, ct);
        if (error is not null) return error;
        var mode = "jsonlogic";
        if (body!["mode"] is { } modeNode)
        {
            mode = modeNode.GetValueKind() == JsonValueKind.String ? modeNode.GetValue<string>() : "";
            if (mode is not ("jsonlogic" or "three_valued"))
                return ApiBody.Bad("mode must be \"jsonlogic\" or \"three_valued\"", "$.mode");
        }
        if (!body.ContainsKey("rule"))
        {
            return ApiBody.Bad("rule is required", "$.rule");
        }
        var unknown = body.Select(kv => kv.Key).FirstOrDefault(k => k is not ("rule" or "data" or "mode"));
        if (unknown is not null)
        {
            return ApiBody.Bad($"unknown field '{unknown}': send {{ \"rule\", \"data\", \"mode\" }}", $"$.{unknown}");
        }
        CompiledRule rule;
        try
        {
            rule = CompiledRule.Compile(body["rule"]?.DeepClone());
        }
        catch (JsonLogicException e)
        {
            return ApiBody.Bad(e.Message, "$.rule" + (e.Path.StartsWith('$') ? e.Path[1..] : e.Path));
        }
        var data = body["data"]?.DeepClone();
        try
        {
            // ct is HttpContext.RequestAborted: the engine checks it per loop element, so a client that goes
            // away stops the work; the limits bound it anyway (see EvaluationLimits).
            if (mode == "three_valued")
            {
                var result = rule.ApplyThreeValued(data, EvaluationLimits.Default, ct);
                return Ok(new { result = ResultName(result.Result), missing_facts = result.MissingFacts });
            }
            return Ok(new JsonObject { ["result"] = rule.Apply(data, EvaluationLimits.Default, ct)?.DeepClone() });
        }
        catch (RuleLimitException e)
        {
            return LimitReached(e, "$.rule");
        }
        catch (JsonLogicException e)
        {
            return ApiBody.Bad(e.Message, "$.rule" + (e.Path.StartsWith('$') ? e.Path[1..] : e.Path));
        }
    }

    /// <summary>422: the rule is well formed but needs more than one evaluation may spend; names the limit.</summary>
    internal static ObjectResult LimitReached(RuleLimitException e, string root) =>
        new(new
        {
            error = e.Reason,
            limit = e.Limit == RuleLimit.Steps ? "steps" : "value_size",
            allowed = e.Allowed,
            problems = new[] { new ApiProblem(root + (e.Path.StartsWith('$') ? e.Path[1..] : e.Path), e.Message) },
        })
        { StatusCode = StatusCodes.Status422UnprocessableEntity };

    /// <summary>The whole catalog with its rules, as open data; the same format import accepts.</summary>
    [HttpGet("catalog")]
    public async Task<IActionResult> Export(CancellationToken ct)
    {
        var measures = (await catalog.GetPublishedAndRetiredAsync(ct: ct)).Select(m => m.ToDocument()).ToList();
        var notices = await catalog.GetNoticeDocumentsAsync(ct);
        var export = new CatalogExport { Format = CatalogExport.CurrentFormat, ExportedAt = clock.GetUtcNow(), Measures = measures, Notices = notices };
        Response.Headers.ContentDisposition = "inline; filename=\"policymatch-catalog.json\"";
        return Content(JsonSerializer.Serialize(export, CatalogJson.Options), "application/json; charset=utf-8");
    }

    /// <summary>Imports a catalog file: validated whole; any problem rejects it with each problem's path.</summary>
    [HttpPost("catalog")]
    public async Task<IActionResult> Import(CancellationToken ct)
    {
        var token = catalogOptions.Value.ImportToken;
        var given = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(token))
        {
            return StatusCode(403, new ApiError("catalog import is switched off: set Catalog:ImportToken", []));
        }
        if (!given.StartsWith("Bearer ", StringComparison.Ordinal) ||
            !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given[7..]), Encoding.UTF8.GetBytes(token)))
        {
            return Unauthorized(new ApiError("a valid bearer token is required to import", []));
        }
        var max = catalogOptions.Value.MaxImportBytes;
        if (Request.ContentLength > max)
        {
            return ApiBody.Bad($"the file is larger than {max} bytes", "$");
        }
        using var buffer = new MemoryStream();
        await Request.Body.CopyToAsync(buffer, ct);
        if (buffer.Length > max)
        {
            return ApiBody.Bad($"the file is larger than {max} bytes", "$");
        }
        buffer.Position = 0;
        var (export, parseProblems) = CatalogImporter.Parse(buffer);
        if (export is null)
        {
            return ApiBody.Bad("the catalog file is not valid", parseProblems.Select(p => new ApiProblem(p.Path, p.Message)));
        }
        var result = await importer.ImportAsync(export, "import", ct);
        if (!result.Succeeded)
        {
            return ApiBody.Bad($"the catalog file has {result.Problems.Count} problem(s); nothing was imported",
                result.Problems.Select(p => new ApiProblem(p.Path, p.Message)));
        }
        if (result.Created + result.NewVersions > 0 || export.Measures?.Any(m => m.Status == MeasureStatus.Retired || m.Status == MeasureStatus.Draft) == true)
        {
            // Any number of measures may have changed: the stored matches are refreshed in full.
            await rematch.CatalogChangedAsync(ct);
        }
        return Ok(new { created = result.Created, new_versions = result.NewVersions, unchanged = result.Unchanged });
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    internal static string OutcomeName(Outcome o) => o switch
    {
        Outcome.Eligible => "eligible",
        Outcome.NeedsInformation => "needs_information",
        _ => "not_eligible",
    };

    internal static string ResultName(CriterionResult r) => r switch
    {
        CriterionResult.Met => "met",
        CriterionResult.NotMet => "not_met",
        _ => "unknown",
    };

    internal static string PeriodName(PeriodStatus p) => p switch
    {
        PeriodStatus.InForce => "in_force",
        PeriodStatus.Upcoming => "upcoming",
        _ => "expired",
    };
}
