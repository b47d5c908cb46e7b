using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyMatch.Rules;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Authoring;

// The criteria builder's model and its mapping to and from JsonLogic. Pure: no I/O, no strings
// compiled — rules are built as JsonNode trees and read back by pattern, and the engine compiles
// the result like any other rule. See README.md in this folder for the shapes it covers.

/// <summary>What a condition says about its fact.</summary>
public enum BuilderOperator
{
    Equal,
    NotEqual,
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,

    /// <summary>The fact is a list that contains the value: <c>{"in": [value, {"var": fact}]}</c>.</summary>
    Contains,

    /// <summary>The fact is one of a list of values: <c>{"in": [{"var": fact}, [v1, v2]]}</c>.</summary>
    OneOf,

    /// <summary><c>{"==": [{"var": fact}, true]}</c>.</summary>
    IsTrue,

    /// <summary><c>{"==": [{"var": fact}, false]}</c>.</summary>
    IsFalse,
}

public abstract record RuleNode;

/// <summary>
/// <c>fact operator value</c>. The value is a JSON scalar, a JSON array of scalars for
/// <see cref="BuilderOperator.OneOf"/>, and null for <see cref="BuilderOperator.IsTrue"/>/<see cref="BuilderOperator.IsFalse"/>.
/// </summary>
public sealed record RuleCondition(string Fact, BuilderOperator Operator, JsonNode? Value) : RuleNode;

/// <summary>All (and) or any (or) of its items. A group of one item is that item.</summary>
public sealed record RuleGroup(bool IsOr, IReadOnlyList<RuleNode> Items) : RuleNode;

/// <summary>A rule read into the builder, or why it cannot be shown there.</summary>
public sealed record BuilderRead(RuleGroup? Root, string? Reason)
{
    public bool CanShow => Root is not null;
}

/// <summary>An operator as the form posts it and as a person reads it.</summary>
public sealed record OperatorInfo(BuilderOperator Operator, string Token, string JsonLogic, string Zh, string En);

public static class CriteriaBuilder
{
    /// <summary>Groups may nest this deep (the root is depth 1): deeper rules are edited as JSON.</summary>
    public const int MaxDepth = 5;

    public static IReadOnlyList<OperatorInfo> Operators { get; } =
    [
        new(BuilderOperator.Equal, "==", "==", "等于", "equals"),
        new(BuilderOperator.NotEqual, "!=", "!=", "不等于", "does not equal"),
        new(BuilderOperator.Greater, ">", ">", "大于", "is greater than"),
        new(BuilderOperator.GreaterOrEqual, ">=", ">=", "大于等于", "is at least"),
        new(BuilderOperator.Less, "<", "<", "小于", "is less than"),
        new(BuilderOperator.LessOrEqual, "<=", "<=", "小于等于", "is at most"),
        new(BuilderOperator.Contains, "in", "in", "包含", "contains"),
        new(BuilderOperator.OneOf, "in-list", "in", "属于以下之一", "is one of"),
        new(BuilderOperator.IsTrue, "is-true", "==", "为“是”", "is true"),
        new(BuilderOperator.IsFalse, "is-false", "==", "为“否”", "is false"),
    ];

    public static OperatorInfo Info(BuilderOperator op) => Operators.First(o => o.Operator == op);

    public static BuilderOperator? ParseToken(string? token) => Operators.FirstOrDefault(o => o.Token == token)?.Operator;

    private static readonly BuilderOperator[] Comparisons =
    [
        BuilderOperator.Equal, BuilderOperator.NotEqual, BuilderOperator.Greater,
        BuilderOperator.GreaterOrEqual, BuilderOperator.Less, BuilderOperator.LessOrEqual,
    ];

    /// <summary>
    /// The operators the builder offers for a fact, by its type. Each is one a policy person can read
    /// without knowing JavaScript's coercions: no ordering of free text, no "contains" on a string.
    /// </summary>
    public static IReadOnlyList<BuilderOperator> OperatorsFor(FactDefinition fact) => fact.Type switch
    {
        FactType.String or FactType.Enum => [BuilderOperator.Equal, BuilderOperator.NotEqual, BuilderOperator.OneOf],
        FactType.Date => Comparisons,
        FactType.Integer or FactType.Number => [.. Comparisons, BuilderOperator.OneOf],
        FactType.Boolean => [BuilderOperator.IsTrue, BuilderOperator.IsFalse],
        FactType.StringArray => [BuilderOperator.Contains],
        FactType.YearOrFalse => [.. Comparisons, BuilderOperator.OneOf, BuilderOperator.IsFalse],
        FactType.CertificateOrFalse => [BuilderOperator.IsFalse],
        _ => [],
    };

    /// <summary>The facts a condition can name: every public and derived fact of the engine.</summary>
    public static IReadOnlyList<FactDefinition> Facts { get; } = PolicyMatch.Rules.Facts.All.Where(f => OperatorsFor(f).Count > 0).ToList();

    // ---- builder → JsonLogic -------------------------------------------------------------------

    /// <summary>The rule a builder tree stands for. A group of one item is written as that item.</summary>
    public static JsonNode ToJsonLogic(RuleNode node) => node switch
    {
        RuleGroup { Items.Count: 1 } g => ToJsonLogic(g.Items[0]),
        RuleGroup g => new JsonObject { [g.IsOr ? "or" : "and"] = new JsonArray(g.Items.Select(i => (JsonNode?)ToJsonLogic(i)).ToArray()) },
        RuleCondition c => Condition(c),
        _ => throw new ArgumentOutOfRangeException(nameof(node)),
    };

    private static JsonObject Var(string fact) => new() { ["var"] = fact };

    private static JsonObject Condition(RuleCondition c) => c.Operator switch
    {
        BuilderOperator.Contains => new JsonObject { ["in"] = new JsonArray(c.Value?.DeepClone(), Var(c.Fact)) },
        BuilderOperator.OneOf => new JsonObject { ["in"] = new JsonArray(Var(c.Fact), c.Value?.DeepClone()) },
        BuilderOperator.IsTrue => new JsonObject { ["=="] = new JsonArray(Var(c.Fact), true) },
        BuilderOperator.IsFalse => new JsonObject { ["=="] = new JsonArray(Var(c.Fact), false) },
        _ => new JsonObject { [Info(c.Operator).JsonLogic] = new JsonArray(Var(c.Fact), c.Value?.DeepClone()) },
    };

    // ---- JsonLogic → builder -------------------------------------------------------------------

    /// <summary>
    /// Reads a rule into the builder when it has a shape the builder shows: conditions on known facts
    /// with the operators above, combined by and/or groups of two or more. The result always maps
    /// back to the same JSON (checked here), so opening and saving a rule never changes it.
    /// </summary>
    public static BuilderRead Read(JsonNode? rule)
    {
        string? reason = null;
        RuleGroup? root;
        if (IsGroup(rule))
        {
            root = ReadNode(rule, 1, ref reason) as RuleGroup;
        }
        else
        {
            var condition = ReadCondition(rule, ref reason);
            root = condition is null ? null : new RuleGroup(false, [condition]);
        }
        if (root is null)
        {
            return new BuilderRead(null, reason ?? T("表单无法表示该规则", "the builder cannot show this rule"));
        }
        // The readers above are written to be exact; this keeps the promise even if one is not.
        if (!JsonNode.DeepEquals(ToJsonLogic(root), rule))
        {
            return new BuilderRead(null, T("转换后与原规则不一致", "it would not map back to the same JSON"));
        }
        return new BuilderRead(root, null);
    }

    private static bool IsGroup(JsonNode? node) =>
        node is JsonObject { Count: 1 } o && (o.ContainsKey("and") || o.ContainsKey("or"));

    private static RuleNode? ReadNode(JsonNode? node, int depth, ref string? reason)
    {
        if (!IsGroup(node))
        {
            return ReadCondition(node, ref reason);
        }
        var (key, value) = node!.AsObject().First();
        if (depth > MaxDepth)
        {
            reason = T($"条件组嵌套超过 {MaxDepth} 层", $"groups nest deeper than {MaxDepth} levels");
            return null;
        }
        if (value is not JsonArray { Count: >= 2 } items)
        {
            reason = T($"“{key}” 只有一个条件或不是列表", $"'{key}' does not list two or more conditions");
            return null;
        }
        var children = new List<RuleNode>(items.Count);
        foreach (var item in items)
        {
            if (ReadNode(item, depth + 1, ref reason) is not { } child)
            {
                return null;
            }
            children.Add(child);
        }
        return new RuleGroup(key == "or", children);
    }

    private static RuleCondition? ReadCondition(JsonNode? node, ref string? reason)
    {
        if (node is not JsonObject { Count: 1 } obj || obj.First() is not (var op, JsonArray { Count: 2 } args))
        {
            reason = T($"{Short(node)} 不是“事实 运算符 值”的形式", $"{Short(node)} is not of the form 'fact operator value'");
            return null;
        }
        RuleCondition? condition = null;
        if (op == "in" && FactOf(args[0]) is { } listFact && args[1] is JsonArray list)
        {
            condition = new RuleCondition(listFact, BuilderOperator.OneOf, list);
        }
        else if (op == "in" && FactOf(args[1]) is { } containerFact && IsScalar(args[0]))
        {
            condition = new RuleCondition(containerFact, BuilderOperator.Contains, args[0]);
        }
        else if (FactOf(args[0]) is { } fact && IsScalar(args[1]) && ComparisonOf(op) is { } comparison)
        {
            var kind = args[1]!.GetValueKind();
            condition = op == "==" && kind is JsonValueKind.True or JsonValueKind.False
                ? new RuleCondition(fact, kind == JsonValueKind.True ? BuilderOperator.IsTrue : BuilderOperator.IsFalse, null)
                : new RuleCondition(fact, comparison, args[1]);
        }
        if (condition is null)
        {
            reason = T($"运算符 “{op}” 的这种用法表单不支持:{Short(node)}", $"the builder does not offer '{op}' used like this: {Short(node)}");
            return null;
        }
        var definition = PolicyMatch.Rules.Facts.Find(condition.Fact);
        if (definition is null)
        {
            reason = T($"“{condition.Fact}” 不是已知的事实", $"'{condition.Fact}' is not a known fact");
            return null;
        }
        if (!OperatorsFor(definition).Contains(condition.Operator))
        {
            reason = T($"“{condition.Fact}” 不能用运算符 “{Info(condition.Operator).Zh}”", $"'{condition.Fact}' does not take '{Info(condition.Operator).En}'");
            return null;
        }
        // The form holds values as text: only values that come back from their text unchanged are shown.
        var parsed = BuilderValues.Parse(definition, condition.Operator, BuilderValues.Text(condition));
        if (parsed.Error is not null || !JsonNode.DeepEquals(parsed.Value, condition.Value) || !SameText(parsed.Value, condition.Value))
        {
            reason = T($"值 {Short(condition.Value)} 与事实 “{condition.Fact}” 的类型不符", $"the value {Short(condition.Value)} does not fit the fact '{condition.Fact}'");
            return null;
        }
        return condition;
    }

    private static BuilderOperator? ComparisonOf(string op) =>
        Comparisons.Select(c => (BuilderOperator?)c).FirstOrDefault(c => Info(c!.Value).JsonLogic == op);

    /// <summary>DeepEquals says 1 equals 1.0; the JSON a person reads should not change either.</summary>
    private static bool SameText(JsonNode? a, JsonNode? b) => (a?.ToJsonString() ?? "null") == (b?.ToJsonString() ?? "null");

    private static string? FactOf(JsonNode? node) =>
        node is JsonObject { Count: 1 } o && o["var"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static bool IsScalar(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False;

    private static string Short(JsonNode? node)
    {
        var text = AuthoringJson.Compact(node);
        return text.Length > 80 ? text[..80] + "…" : text;
    }

    // ---- sentences -------------------------------------------------------------------------------

    /// <summary>The rule as a sentence: "所在区 等于 昌平区 且 (中小企业 为“是” 或 …)".</summary>
    public static string Describe(RuleNode node, bool english) => Describe(node, english, nested: false);

    private static string Describe(RuleNode node, bool english, bool nested)
    {
        switch (node)
        {
            case RuleGroup { Items.Count: 1 } single:
                return Describe(single.Items[0], english, nested);
            case RuleGroup g:
                var joiner = g.IsOr ? (english ? " or " : " 或 ") : (english ? " and " : " 且 ");
                var text = string.Join(joiner, g.Items.Select(i => Describe(i, english, nested: true)));
                return nested ? $"({text})" : text;
            case RuleCondition c:
                var fact = PolicyMatch.Rules.Facts.Find(c.Fact);
                var label = fact is null ? c.Fact : english ? fact.LabelEn : fact.LabelZh;
                var info = Info(c.Operator);
                var value = BuilderValues.Text(c, english ? ", " : "、");
                return value.Length == 0 ? $"{label} {(english ? info.En : info.Zh)}" : $"{label} {(english ? info.En : info.Zh)} {value}";
            default:
                return "";
        }
    }
}

/// <summary>A value as the form shows it (text) and back, typed by the fact it is compared with.</summary>
public static class BuilderValues
{
    private static readonly char[] Separators = [',', '，', '、', ';', '；', '\n', '\r'];

    public sealed record Parsed(JsonNode? Value, string? Error);

    /// <summary>The condition's value as text: one value, or a list joined by <paramref name="separator"/>.</summary>
    public static string Text(RuleCondition c, string separator = "、") => c.Operator switch
    {
        BuilderOperator.IsTrue or BuilderOperator.IsFalse => "",
        BuilderOperator.OneOf when c.Value is JsonArray a => string.Join(separator, a.Select(ScalarText)),
        _ => ScalarText(c.Value),
    };

    private static string ScalarText(JsonNode? v) => v switch
    {
        JsonValue s when s.GetValueKind() == JsonValueKind.String => s.GetValue<string>(),
        null => "",
        _ => v.ToJsonString(),
    };

    /// <summary>Reads what was typed for a condition on <paramref name="fact"/>, or says what is wrong, in the user's language.</summary>
    public static Parsed Parse(FactDefinition fact, BuilderOperator op, string? text)
    {
        if (op is BuilderOperator.IsTrue or BuilderOperator.IsFalse)
        {
            return new Parsed(null, null);
        }
        if (op == BuilderOperator.OneOf)
        {
            var parts = (text ?? "").Split(Separators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                return new Parsed(null, T("请至少填写一个值(用逗号或顿号分隔)", "Enter at least one value (separate them with commas)"));
            }
            var list = new JsonArray();
            foreach (var part in parts)
            {
                var one = Scalar(fact, part);
                if (one.Error is not null)
                {
                    return new Parsed(null, T($"“{part}”:", $"'{part}': ") + one.Error);
                }
                list.Add(one.Value);
            }
            return new Parsed(list, null);
        }
        var trimmed = (text ?? "").Trim();
        return trimmed.Length == 0 ? new Parsed(null, T("请填写值", "Enter a value")) : Scalar(fact, trimmed);
    }

    private static Parsed Scalar(FactDefinition fact, string text)
    {
        switch (fact.Type)
        {
            case FactType.Integer or FactType.YearOrFalse:
                return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var i) && i == decimal.Truncate(i)
                    ? new Parsed(JsonValue.Create(i), null)
                    : new Parsed(null, T("请填写整数", "Enter a whole number"));
            case FactType.Number:
                return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)
                    ? new Parsed(JsonValue.Create(d), null)
                    : new Parsed(null, T("请填写数字(如 0.05 或 3000000)", "Enter a number (e.g. 0.05 or 3000000)"));
            case FactType.Date:
                return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                    ? new Parsed(JsonValue.Create(text), null)
                    : new Parsed(null, T("日期格式应为 YYYY-MM-DD", "Enter a date as YYYY-MM-DD"));
            case FactType.Enum when !fact.AllowedValues.Contains(text):
                return new Parsed(null, T($"可选值为:{string.Join("、", fact.AllowedValues)}", $"must be one of {string.Join(", ", fact.AllowedValues)}"));
            default:
                return new Parsed(JsonValue.Create(text), null);
        }
    }
}
