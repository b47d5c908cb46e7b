using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using PolicyMatch.Web.Features.Matching;
using PolicyMatch.Web.Infrastructure.Web;

namespace PolicyMatch.Web.Features.Api;

/// <summary>
/// The body of <c>POST /api/match</c>, written straight to the response with a
/// <see cref="Utf8JsonWriter"/>. A match answers every published measure with its criteria (about
/// 30 KB); serialising nested anonymous objects through the reflection-based serializer was the
/// largest cost of the endpoint under load (see tests/load). The shape is the one documented in
/// the README and checked by ApiTests: as_of, the grouping (counts of current measures only), then
/// results: current ones first (soonest deadline first), then upcoming, then expired — each result
/// says its <c>standing</c> and <c>group</c>, so a client can split them as the matches page does.
/// </summary>
public sealed class MatchReportJson(MatchReport report) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        // The same encoder as the rest of the API (Chinese unescaped), from the MVC JSON options.
        var options = context.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.JsonSerializerOptions;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        await using (var writer = new Utf8JsonWriter(response.BodyWriter, new JsonWriterOptions { Encoder = options.Encoder }))
        {
            Write(writer, report);
        }
        await response.BodyWriter.FlushAsync(context.HttpContext.RequestAborted);
    }

    internal static void Write(Utf8JsonWriter w, MatchReport report)
    {
        w.WriteStartObject();
        WriteDate(w, "as_of", report.AsOf);
        // Standings once per item: the order below and the counts both need them.
        var standings = new Standing[report.Items.Count];
        for (var n = 0; n < standings.Length; n++) standings[n] = report.StandingOf(report.Items[n]);
        w.WriteStartObject("grouping");
        w.WriteString("counts_cover", "current");
        w.WriteString("explanation", "counts cover measures a company can act on as of as_of (in force, window open or not yet open); upcoming and expired measures are listed after them and never counted as eligible");
        w.WriteStartObject("counts");
        foreach (var g in new[] { MatchGroup.Eligible, MatchGroup.NeedsInformation, MatchGroup.NearMiss, MatchGroup.NotEligible })
        {
            var count = 0;
            for (var n = 0; n < standings.Length; n++)
            {
                if (standings[n] == Standing.Current && report.Items[n].Group == g) count++;
            }
            w.WriteNumber(MatchGroups.Name(g), count);
        }
        w.WriteEndObject();
        w.WriteStartObject("standings");
        foreach (var s in new[] { Standing.Current, Standing.Upcoming, Standing.Expired })
        {
            w.WriteNumber(MatchGroups.Name(s), standings.Count(x => x == s));
        }
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartArray("results");
        foreach (var standing in new[] { Standing.Current, Standing.Upcoming, Standing.Expired })
        {
            for (var n = 0; n < standings.Length; n++)
            {
                if (standings[n] == standing) WriteItem(w, report.Items[n], standing);
            }
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteItem(Utf8JsonWriter w, MatchItem item, Standing standing)
    {
        {
            var e = item.Evaluation;
            w.WriteStartObject();
            w.WriteString("measure_id", item.Measure.MeasureId);
            w.WriteNumber("version", item.Measure.Version);
            w.WriteString("title", item.Measure.Title);
            w.WriteString("outcome", ApiController.OutcomeName(e.Outcome));
            w.WriteBoolean("near_miss", e.IsNearMiss);
            w.WriteNumber("met", e.Met);
            w.WriteNumber("total", e.Total);
            w.WriteString("period_status", ApiController.PeriodName(item.Period));
            w.WriteString("standing", MatchGroups.Name(standing));
            w.WriteString("group", MatchGroups.Name(item.Group));
            if (item.Measure.Amount is { } amount) w.WriteString("amount", amount);
            if (item.Measure.WindowCloses is { } closes) WriteDate(w, "window_closes", closes);
            if (item.Measure.PeriodTo is { } to) WriteDate(w, "period_to", to);
            if (item.Helpers.Count > 0) WriteStrings(w, "helped_by", item.Helpers.Select(h => h.MeasureId).ToList());
            WriteStrings(w, "missing_facts", e.MissingFacts);
            w.WriteStartArray("criteria");
            // By index: an interface foreach allocates an enumerator per measure.
            for (var n = 0; n < e.Criteria.Count; n++)
            {
                var c = e.Criteria[n];
                w.WriteStartObject();
                w.WriteString("id", c.Id);
                w.WriteString("label", L.T(c.LabelZh, c.LabelEn));
                w.WriteString("result", ApiController.ResultName(c.Result));
                WriteStrings(w, "missing_facts", c.MissingFacts);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        for (var n = 0; n < values.Count; n++)
        {
            w.WriteStringValue(values[n]);
        }
        w.WriteEndArray();
    }

    /// <summary>A date as yyyy-MM-dd, formatted into the writer without a string per date.</summary>
    private static void WriteDate(Utf8JsonWriter w, string name, DateOnly date)
    {
        Span<char> text = stackalloc char[10];
        date.TryFormat(text, out var written, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        w.WriteString(name, text[..written]);
    }
}
