using Microsoft.AspNetCore.Mvc;
using PolicyMatch.Web.Features.Home;
using PolicyMatch.Web.Features.Profiles;

namespace PolicyMatch.Web.Features.Matching;

public sealed record MatchesView(ProfileForm Form, string ProfileQuery, MatchReport Report);

/// <summary>
/// The quick check (政策计算器): a GET form, so a result is a link that can be bookmarked, shared or
/// changed one fact at a time (what-if), and nothing is stored.
/// </summary>
public sealed class MatchingController(ProfileValidator validator, MatchService matching, HomePage home, TimeProvider clock) : Controller
{
    [HttpGet("/check")]
    public async Task<IActionResult> Check([FromQuery] ProfileForm form, CancellationToken ct)
    {
        if (form.IsEmpty)
        {
            return Redirect("/#check");
        }
        var check = validator.FromForm(form, requireIdentity: false);
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        var asOf = ProfileValidator.ParseAsOf(form.AsOf, today, out var asOfError);
        if (!check.IsValid || asOf is null)
        {
            var errors = new Dictionary<string, string>(check.Errors);
            if (asOfError is not null) errors["as_of"] = asOfError;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View("~/Features/Home/Index.cshtml", await home.BuildAsync(new ProfileFormView(form, errors), ct));
        }
        var report = await matching.MatchAsync(check.Profile, asOf.Value, ct);
        return View("Matches", new MatchesView(form, QueryString.Create(form.ToQuery()).ToString(), report));
    }
}
