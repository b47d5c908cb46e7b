using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Plans;
using PolicyMatch.Web.Features.Profiles;

namespace PolicyMatch.Web.Features.Authoring;

/// <summary>The editor page: the form as typed, its problems, and the "try it" result if asked.</summary>
public sealed record EditView(
    MeasureForm Form,
    bool IsNew,
    MeasureState? State,
    FormErrors Errors,
    IReadOnlyList<PlanRow> Plans,
    IReadOnlyList<ClauseRow> Clauses,
    ProfileFormView Sample,
    string Today,
    TryResult? Tried,
    string? Flash,
    bool Incomplete = false)
{
    public string Action => IsNew ? "/admin/measures/new" : $"/admin/measures/{Form.Id}/edit";

    public PlanRow? Plan => Plans.FirstOrDefault(p => p.Id == Form.Plan);

    /// <summary>The cited clause and its sub-clauses (where the quote must occur), or empty if it does not exist.</summary>
    public IReadOnlyList<Clause> ClauseText =>
        string.IsNullOrWhiteSpace(Form.Clause) ? []
        : ClauseParser.Subtree(Clauses.Select(r => new Clause(r.Ref, (int)r.Ordinal, (int)r.Depth, r.Heading, r.Text)).ToList(), Form.Clause.Trim()).ToList();
}

/// <summary>One criterion of the draft against the sample profile; <see cref="Problem"/> when it could not be evaluated.</summary>
public sealed record TriedCriterion(int Index, string Id, string LabelZh, string LabelEn, CriterionResult? Result, IReadOnlyList<string> Missing, string? Problem);

public sealed record TryResult(DateOnly AsOf, IReadOnlyList<TriedCriterion> Criteria)
{
    /// <summary>The measure's outcome, when every criterion could be evaluated.</summary>
    public Outcome? Outcome =>
        Criteria.Any(c => c.Result is null) ? null
        : Criteria.Any(c => c.Result == CriterionResult.NotMet) ? Rules.Outcome.NotEligible
        : Criteria.Any(c => c.Result == CriterionResult.Unknown) ? Rules.Outcome.NeedsInformation
        : Rules.Outcome.Eligible;
}

/// <summary>A builder group as the recursive partial renders it.</summary>
public sealed record GroupView(GroupForm Group, string Field, string Path, int Depth, FormErrors Errors);

public sealed record PreviewView(MeasureState State, ImpactReport Report, MeasureDiff? Changes, string? Flash, IReadOnlyList<CatalogProblem> Problems);

public sealed record VersionsView(
    MeasureState State, IReadOnlyList<MeasureVersionInfo> Versions, MeasureVersionRow? From, MeasureVersionRow? To, MeasureDiff? Diff);

/// <summary>Small pieces of markup the authoring views share.</summary>
public static class AuthoringHtml
{
    /// <summary>A field's problem, with the JSON path of the value it concerns.</summary>
    public static Microsoft.AspNetCore.Html.IHtmlContent Error(FormErrors errors, string field)
    {
        if (errors.For(field) is not { } e)
        {
            return Microsoft.AspNetCore.Html.HtmlString.Empty;
        }
        // The message names the field in the user's language; the catalog path stays in data-path for
        // people reading the JSON (and the tests), not in the text an administrator reads.
        return new Microsoft.AspNetCore.Html.HtmlContentBuilder()
            .AppendHtml($"<span class=\"field-error\" id=\"err-{FormErrors.IdOf(field)[2..]}\" role=\"alert\" data-path=\"")
            .Append(e.Path)
            .AppendHtml("\"><strong class=\"field-name\">")
            .Append(MeasureEditor.FieldLabel(field))
            .AppendHtml("</strong>:")
            .Append(e.Message)
            .AppendHtml("</span>");
    }

    public static string Invalid(FormErrors errors, string field) => errors.Has(field) ? "invalid" : "";

    /// <summary>Values a condition on the fact usually compares with, offered as suggestions (any value may be typed).</summary>
    public static IReadOnlyList<string> Suggestions(FactDefinition fact) => fact.Type == FactType.Boolean ? [] : fact.AllowedValues;

    public static string Label(FactDefinition fact) => Infrastructure.Web.L.T(fact.LabelZh, fact.LabelEn);
}
