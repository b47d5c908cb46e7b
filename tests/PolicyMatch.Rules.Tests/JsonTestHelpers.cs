using System.Text.Json;
using System.Text.Json.Nodes;

namespace PolicyMatch.Rules.Tests;

internal static class JsonTestHelpers
{
    /// <summary>Structural JSON equality where numbers compare by value (2 equals 2.0).</summary>
    public static bool JsonEquals(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        switch (a)
        {
            case JsonArray xa when b is JsonArray xb:
                return xa.Count == xb.Count && xa.Zip(xb).All(p => JsonEquals(p.First, p.Second));
            case JsonObject oa when b is JsonObject ob:
                return oa.Count == ob.Count && oa.All(p => ob.TryGetPropertyValue(p.Key, out var v) && JsonEquals(p.Value, v));
            case JsonValue va when b is JsonValue vb:
                var ka = va.GetValueKind();
                var kb = vb.GetValueKind();
                if (ka != kb)
                {
                    return false;
                }

                return ka == JsonValueKind.Number
                    ? decimal.Parse(va.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture)
                      == decimal.Parse(vb.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture)
                    : va.ToJsonString() == vb.ToJsonString();
            default:
                return false;
        }
    }

    public static JsonNode? J(string json) => JsonNode.Parse(json);

    public static JsonObject O(string json) => JsonNode.Parse(json)!.AsObject();
}
