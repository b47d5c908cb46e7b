using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyMatch.Web.Features.Profiles;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Incubators;

/// <summary>A stored profile as a person reads it: every public fact with its label, and null where it is unknown.</summary>
public static class ProfileDisplay
{
    public static IReadOnlyList<(string Label, string? Value)> Facts(JsonObject profile) =>
        ProfileValidator.PublicFacts.Select(fact => (FactLabels.Of(fact), profile[fact] is { } node ? Format(fact, node) : null)).ToList();

    /// <summary>One fact as a person reads it; null when unknown.</summary>
    public static string? Of(string fact, JsonObject profile) => profile[fact] is { } node ? Format(fact, node) : null;

    private static string Format(string fact, JsonNode node)
    {
        switch (node.GetValueKind())
        {
            case JsonValueKind.True:
                return T("是", "Yes");
            case JsonValueKind.False:
                return T("否", "No");
            case JsonValueKind.Array:
                return string.Join("、", node.AsArray().Select(x => x?.ToString()));
            case JsonValueKind.Object when fact == "hightech_certificate":
                var cert = node.AsObject();
                var parts = new List<string>();
                if (cert["number"] is { } number) parts.Add(T($"编号 {number}", $"no. {number}"));
                if (cert["issued_on"] is { } issued) parts.Add(T($"发证 {issued}", $"issued {issued}"));
                if (cert["expires_on"] is { } expires) parts.Add(T($"有效期至 {expires}", $"expires {expires}"));
                return parts.Count == 0 ? T("是", "Yes") : T("是(", "Yes (") + string.Join(T(",", ", "), parts) + T(")", ")");
            case JsonValueKind.Number when fact is "revenue_last_year" or "rd_expense_last_year":
                return node.GetValue<decimal>().ToString("#,0.##", CultureInfo.InvariantCulture) + T(" 元", " yuan");
        }
        var text = node.ToString();
        return fact switch
        {
            _ => FactLabels.OfValue(fact, text),
        };
    }
}
