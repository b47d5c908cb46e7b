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
/// the README and checked by ApiTests: as_of, then results in the report's order.
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
        w.WriteString("as_of", report.AsOf.ToString("yyyy-MM-dd"));
        w.WriteStartArray("results");
        foreach (var item in report.Items)
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
            WriteStrings(w, "missing_facts", e.MissingFacts);
            w.WriteStartArray("criteria");
            foreach (var c in e.Criteria)
            {
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
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }
        w.WriteEndArray();
    }
}
