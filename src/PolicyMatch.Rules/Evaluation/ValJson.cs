using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PolicyMatch.Rules.Evaluation;

/// <summary>Conversions between System.Text.Json nodes and <see cref="Val"/>.</summary>
internal static class ValJson
{
    public static Val FromNode(JsonNode? node) => node switch
    {
        null => Val.Null,
        JsonObject o => FromObject(o),
        JsonArray a => FromArray(a),
        JsonValue v => FromValue(v),
        _ => Val.Null,
    };

    private static Val FromObject(JsonObject o)
    {
        var map = new Dictionary<string, Val>(o.Count, StringComparer.Ordinal);
        foreach (var (k, v) in o)
        {
            map[k] = FromNode(v);
        }

        return Val.Object(map);
    }

    private static Val FromArray(JsonArray a)
    {
        var items = new Val[a.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = FromNode(a[i]);
        }

        return Val.Array(items);
    }

    public static Val FromValue(JsonValue v)
    {
        if (v.TryGetValue<JsonElement>(out var el))
        {
            return FromElement(el);
        }

        switch (v.GetValueKind())
        {
            case JsonValueKind.String:
                return Val.String(v.GetValue<string>());
            case JsonValueKind.True:
                return Val.True;
            case JsonValueKind.False:
                return Val.False;
            case JsonValueKind.Number:
                if (v.TryGetValue<decimal>(out var d))
                {
                    return Val.Number(d);
                }

                if (v.TryGetValue<int>(out var i))
                {
                    return Val.Number(i);
                }

                if (v.TryGetValue<long>(out var l))
                {
                    return Val.Number(l);
                }

                return Js.ParseNumber(v.ToJsonString());
            default:
                return Val.Null;
        }
    }

    /// <summary>
    /// The value at the reader, as <see cref="FromElement"/> converts the same JSON, leaving the reader on its
    /// last token; false when an object in it has a name twice.
    /// </summary>
    public static bool TryRead(ref Utf8JsonReader reader, out Val value)
    {
        value = Val.Null;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                value = Val.String(reader.GetString()!);
                return true;
            case JsonTokenType.True:
                value = Val.True;
                return true;
            case JsonTokenType.False:
                value = Val.False;
                return true;
            case JsonTokenType.Number:
                // As FromElement: a number's text is never escaped.
                value = reader.TryGetDecimal(out var d) && d != 0m ? Val.Number(d) : Js.ParseNumber(Encoding.UTF8.GetString(reader.ValueSpan));
                return true;
            case JsonTokenType.StartArray:
                {
                    var items = new List<Val>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (!TryRead(ref reader, out var item))
                        {
                            return false;
                        }

                        items.Add(item);
                    }

                    value = Val.Array([.. items]);
                    return true;
                }

            case JsonTokenType.StartObject:
                {
                    var map = new Dictionary<string, Val>(StringComparer.Ordinal);
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var name = reader.GetString()!;
                        reader.Read();
                        if (!TryRead(ref reader, out var item) || !map.TryAdd(name, item))
                        {
                            return false;
                        }
                    }

                    value = Val.Object(map);
                    return true;
                }

            default:
                return true;
        }
    }

    public static Val FromElement(JsonElement el)
    {
        switch (el.ValueKind)
        {
            case JsonValueKind.String:
                return Val.String(el.GetString()!);
            case JsonValueKind.True:
                return Val.True;
            case JsonValueKind.False:
                return Val.False;
            case JsonValueKind.Number:
                // TryGetDecimal rounds 1e-30 to 0; the text parser keeps such values as double.
                return el.TryGetDecimal(out var d) && d != 0m ? Val.Number(d) : Js.ParseNumber(el.GetRawText());
            case JsonValueKind.Array:
                {
                    var items = new Val[el.GetArrayLength()];
                    var i = 0;
                    foreach (var item in el.EnumerateArray())
                    {
                        items[i++] = FromElement(item);
                    }

                    return Val.Array(items);
                }

            case JsonValueKind.Object:
                {
                    var map = new Dictionary<string, Val>(StringComparer.Ordinal);
                    foreach (var p in el.EnumerateObject())
                    {
                        map[p.Name] = FromElement(p.Value);
                    }

                    return Val.Object(map);
                }

            default:
                return Val.Null;
        }
    }

    /// <summary>A value as JSON. Numbers that JSON cannot hold (NaN, Infinity) become null, as JSON.stringify does.</summary>
    public static JsonNode? ToNode(in Val v)
    {
        switch (v.Kind)
        {
            case Kind.False:
                return JsonValue.Create(false);
            case Kind.True:
                return JsonValue.Create(true);
            case Kind.Number:
                return JsonValue.Create(Js.Normalize(v.Num));
            case Kind.Float:
                return double.IsFinite(v.Dbl) ? JsonValue.Create(v.Dbl) : null;
            case Kind.String:
                return JsonValue.Create(v.Str);
            case Kind.Array:
                {
                    var a = new JsonArray();
                    foreach (var item in v.Arr)
                    {
                        a.Add(ToNode(item));
                    }

                    return a;
                }

            case Kind.Object:
                {
                    var o = new JsonObject();
                    foreach (var (k, item) in v.Map)
                    {
                        o[k] = ToNode(item);
                    }

                    return o;
                }

            default:
                return null;
        }
    }
}
