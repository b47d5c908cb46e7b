using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.ModelBinding.Validation;

namespace PolicyMatch.Web.Features.Authoring;

// The measure form as typed. Every field is a string so that whatever was entered comes back to the
// form with its error (PRODUCT.md §6: forms keep what was typed); MeasureEditor turns it into a
// MeasureDocument. The fields post with the prefix "m." so that the sample profile of "try it"
// (the quick check's field names: District, FocusAreas, …) can share the form without clashing.
// [ValidateNever]: MeasureEditor validates, with the catalog's own rules; MVC's implicit
// [Required] on non-nullable members would only add noise.

[ValidateNever]
public sealed class MeasureForm
{
    public const string Prefix = "m";

    public string? Id { get; set; }

    /// <summary>The plan's id ('000'); chosen when the measure is created, fixed afterwards.</summary>
    public string? Plan { get; set; }

    public string? Title { get; set; }
    public string? TitleEn { get; set; }
    public string? Summary { get; set; }
    public string? Kind { get; set; }
    public string? Amount { get; set; }

    /// <summary>Lists are typed as text, items separated by 、 or commas.</summary>
    public string? Departments { get; set; }

    public string? Regions { get; set; }
    public string? FocusAreas { get; set; }
    public string? PeriodFrom { get; set; }
    public string? PeriodTo { get; set; }
    public string? WindowOpens { get; set; }
    public string? WindowCloses { get; set; }
    public string? Clause { get; set; }
    public string? Quote { get; set; }
    public string? Notes { get; set; }

    /// <summary>
    /// The measure's newest version when the form was opened (null: a new measure). Saving refuses if
    /// someone saved a newer version meanwhile, rather than silently overwriting their work.
    /// </summary>
    public long? BaseVersion { get; set; }

    public List<CriterionForm> Criteria { get; set; } = [];

    /// <summary>Who benefits and how to apply (issue 11; see <see cref="ApplyForm"/>).</summary>
    public ApplyForm Apply { get; set; } = new();
}

[ValidateNever]
public sealed class CriterionForm
{
    public const string ModeBuilder = "builder";
    public const string ModeRaw = "raw";

    public string? Id { get; set; }
    public string? LabelZh { get; set; }
    public string? LabelEn { get; set; }

    /// <summary>"builder" (conditions and groups) or "raw" (JsonLogic typed as JSON).</summary>
    public string? Mode { get; set; } = ModeBuilder;

    public GroupForm Builder { get; set; } = new();
    public string? Raw { get; set; }

    /// <summary>Why the rule is shown as JSON (it has a shape the builder cannot show); posted back so it stays.</summary>
    public string? Note { get; set; }

    public bool IsRaw => Mode == ModeRaw;
}

[ValidateNever]
public sealed class GroupForm
{
    /// <summary>"and" (all of) or "or" (any of).</summary>
    public string? Combinator { get; set; } = "and";

    public List<NodeForm> Items { get; set; } = [];

    public bool IsOr => Combinator == "or";
}

/// <summary>A condition (fact, operator, value) or a nested group.</summary>
[ValidateNever]
public sealed class NodeForm
{
    public string? Kind { get; set; } = "condition";
    public string? Fact { get; set; }
    public string? Operator { get; set; } = "==";
    public string? Value { get; set; }
    public GroupForm? Group { get; set; }

    public bool IsGroup => Kind == "group";
}

/// <summary>
/// Problems by form field (its posted name, e.g. "m.Criteria[0].Builder.Items[1].Value"), each with
/// the JSON path of the value in the catalog format ("$.criteria[0].rule.or[1]"). The first problem
/// found for a field wins: a field shows one clear message.
/// </summary>
public sealed class FormErrors
{
    private readonly Dictionary<string, (string Path, string Message)> _byField = new(StringComparer.Ordinal);

    public int Count => _byField.Count;

    public void Add(string field, string path, string message) => _byField.TryAdd(field, (path, message));

    public bool Has(string field) => _byField.ContainsKey(field);

    public (string Path, string Message)? For(string field) => _byField.TryGetValue(field, out var e) ? e : null;

    public IEnumerable<(string Field, string Path, string Message)> All => _byField.Select(kv => (kv.Key, kv.Value.Path, kv.Value.Message));

    /// <summary>The problems in the order their fields appear on the editor page.</summary>
    public IEnumerable<(string Field, string Path, string Message)> InPageOrder => All.OrderBy(e => MeasureEditor.PageRank(e.Field));

    /// <summary>The HTML id of a field's input: its name with every non-alphanumeric run as '-'.</summary>
    public static string IdOf(string field) => "f-" + System.Text.RegularExpressions.Regex.Replace(field, "[^A-Za-z0-9]+", "-").Trim('-');
}

/// <summary>Field names as the form posts them.</summary>
public static class Fields
{
    public static string Measure(string property) => $"{MeasureForm.Prefix}.{property}";

    public static string Criterion(int i) => $"{MeasureForm.Prefix}.Criteria[{i}]";

    public static string Root(int i) => $"{Criterion(i)}.Builder";

    public static string Item(string group, int j) => $"{group}.Items[{j}]";

    public static string Nested(string item) => $"{item}.Group";
}

/// <summary>Rules as JSON text for people: the editor's textarea, the diffs, messages.</summary>
public static class AuthoringJson
{
    // The catalog's encoder still escapes < and > (">=" would read "\u003E="); this text is only ever
    // shown in pages, where Razor HTML-encodes it, so the relaxed encoder is safe here.
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };
    private static readonly JsonSerializerOptions ReadableCompact = new(Readable) { WriteIndented = false };

    public static string Indented(JsonNode? node) => node?.ToJsonString(Readable) ?? "null";

    public static string Compact(JsonNode? node) => node?.ToJsonString(ReadableCompact) ?? "null";
}
