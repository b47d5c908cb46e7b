using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Features.Plans;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Authoring;

/// <summary>
/// The measure form ↔ the catalog's MeasureDocument, and the builder's buttons. Pure: what the
/// database knows (the plan's clauses) is passed in.
/// </summary>
public static partial class MeasureEditor
{
    private static readonly char[] ListSeparators = [',', '，', '、', ';', '；', '\n', '\r'];

    // ---- stored measure → form -------------------------------------------------------------------

    public static MeasureForm FromDocument(MeasureDocument m, string planId, long? baseVersion) => new()
    {
        Id = m.Id,
        Plan = planId,
        Title = m.Title,
        TitleEn = m.TitleEn,
        Summary = m.Summary,
        Kind = m.Kind,
        Amount = m.Amount,
        Departments = JoinList(m.Departments),
        Regions = JoinList(m.Regions),
        FocusAreas = JoinList(m.FocusAreas),
        PeriodFrom = Date(m.Period?.From),
        PeriodTo = Date(m.Period?.To),
        WindowOpens = Date(m.Window?.Opens),
        WindowCloses = Date(m.Window?.Closes),
        Clause = m.Source.Clause,
        Quote = m.Source.Quote,
        Notes = m.Notes,
        BaseVersion = baseVersion,
        Criteria = m.Criteria.Select(FromCriterion).ToList(),
        Apply = ApplyForm.From(m),
    };

    /// <summary>A criterion in the builder when its rule has a shape the builder shows, else as JSON with the reason.</summary>
    public static CriterionForm FromCriterion(CriterionDocument c)
    {
        var read = CriteriaBuilder.Read(c.Rule);
        return read.Root is { } root
            ? new CriterionForm { Id = c.Id, LabelZh = c.LabelZh, LabelEn = c.LabelEn, Mode = CriterionForm.ModeBuilder, Builder = GroupFrom(root) }
            : new CriterionForm { Id = c.Id, LabelZh = c.LabelZh, LabelEn = c.LabelEn, Mode = CriterionForm.ModeRaw, Raw = AuthoringJson.Indented(c.Rule), Note = read.Reason };
    }

    public static GroupForm GroupFrom(RuleGroup g) => new()
    {
        Combinator = g.IsOr ? "or" : "and",
        Items = g.Items.Select(item => item switch
        {
            RuleGroup sub => new NodeForm { Kind = "group", Operator = null, Group = GroupFrom(sub) },
            RuleCondition c => new NodeForm
            {
                Kind = "condition",
                Fact = c.Fact,
                Operator = CriteriaBuilder.Info(c.Operator).Token,
                Value = BuilderValues.Text(c, T("、", ", ")),
            },
            _ => new NodeForm(),
        }).ToList(),
    };

    private static string? Date(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string JoinList(IReadOnlyList<string>? items) => string.Join("、", items ?? []);

    public static List<string> SplitList(string? text) =>
        (text ?? "").Split(ListSeparators, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();

    // ---- form → document -------------------------------------------------------------------------

    /// <summary>
    /// The document the form describes. Problems the form itself shows (a malformed date, a builder
    /// condition without a value, malformed JSON) go to <paramref name="errors"/>; what is left is
    /// for <see cref="Validate"/>, which applies the catalog's rules.
    /// </summary>
    public static MeasureDocument ToDocument(MeasureForm f, FormErrors errors)
    {
        DateOnly? ParseDate(string property, string path, string? text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }
            if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                return d;
            }
            errors.Add(Fields.Measure(property), path, T("日期格式应为 YYYY-MM-DD", "Enter a date as YYYY-MM-DD"));
            return null;
        }

        var periodFrom = ParseDate(nameof(f.PeriodFrom), "$.period.from", f.PeriodFrom);
        var periodTo = ParseDate(nameof(f.PeriodTo), "$.period.to", f.PeriodTo);
        var opens = ParseDate(nameof(f.WindowOpens), "$.window.opens", f.WindowOpens);
        var closes = ParseDate(nameof(f.WindowCloses), "$.window.closes", f.WindowCloses);
        var (beneficiary, apply) = f.Apply.ToDocument(errors);
        var criteria = new List<CriterionDocument>();
        for (var i = 0; i < f.Criteria.Count; i++)
        {
            var c = f.Criteria[i];
            criteria.Add(new CriterionDocument
            {
                Id = (c.Id ?? "").Trim(),
                LabelZh = (c.LabelZh ?? "").Trim(),
                LabelEn = (c.LabelEn ?? "").Trim(),
                Rule = RuleOf(c, i, errors),
            });
        }
        // Blank optional text is null and blank dates leave out their range, as in the seed files,
        // so saving an unchanged measure hashes the same and creates no new version.
        return new MeasureDocument
        {
            Id = (f.Id ?? "").Trim(),
            Title = (f.Title ?? "").Trim(),
            TitleEn = Blank(f.TitleEn),
            Summary = (f.Summary ?? "").Trim(),
            Kind = (f.Kind ?? "").Trim(),
            Beneficiary = beneficiary,
            Amount = Blank(f.Amount),
            Departments = SplitList(f.Departments),
            Regions = SplitList(f.Regions),
            Period = periodFrom is null && periodTo is null ? null : new DateRange(periodFrom, periodTo),
            Window = opens is null && closes is null ? null : new ApplicationWindow(opens, closes),
            Apply = apply,
            FocusAreas = SplitList(f.FocusAreas),
            Source = new SourceRef { Clause = (f.Clause ?? "").Trim(), Quote = (f.Quote ?? "").Trim() },
            Notes = Blank(f.Notes),
            Criteria = criteria,
            Plan = Blank(f.Plan),
        };
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    /// <summary>A criterion's rule from the builder or the JSON typed; null (with errors) when it has none.</summary>
    public static JsonNode? RuleOf(CriterionForm c, int i, FormErrors errors)
    {
        var path = $"$.criteria[{i}].rule";
        if (c.IsRaw)
        {
            return ParseRaw(c.Raw, Fields.Criterion(i) + ".Raw", path, errors);
        }
        var root = GroupToRule(c.Builder, Fields.Root(i), path, 1, errors);
        return root is null ? null : CriteriaBuilder.ToJsonLogic(root);
    }

    /// <summary>
    /// The builder's tree, checked condition by condition. <paramref name="path"/> is where this group's
    /// JSON will sit in the catalog format, so each problem names the node it concerns.
    /// </summary>
    public static RuleGroup? GroupToRule(GroupForm g, string field, string path, int depth, FormErrors errors)
    {
        if (g.Items.Count == 0)
        {
            errors.Add(field + ".Items", path, T("条件组是空的:请添加条件,或删除该组", "The group is empty: add a condition or remove the group"));
            return null;
        }
        var op = g.IsOr ? "or" : "and";
        var items = new List<RuleNode>();
        var ok = true;
        for (var j = 0; j < g.Items.Count; j++)
        {
            var item = g.Items[j];
            var itemField = Fields.Item(field, j);
            var itemPath = g.Items.Count == 1 ? path : $"{path}.{op}[{j}]";
            RuleNode? node = item.IsGroup
                ? depth >= CriteriaBuilder.MaxDepth
                    ? Fail(errors, itemField, itemPath, T($"条件组最多嵌套 {CriteriaBuilder.MaxDepth} 层", $"Groups nest at most {CriteriaBuilder.MaxDepth} levels deep"))
                    : GroupToRule(item.Group ?? new GroupForm(), Fields.Nested(itemField), itemPath, depth + 1, errors)
                : ConditionToRule(item, itemField, itemPath, errors);
            if (node is null)
            {
                ok = false;
            }
            else
            {
                items.Add(node);
            }
        }
        return ok ? new RuleGroup(g.IsOr, items) : null;
    }

    private static RuleNode? Fail(FormErrors errors, string field, string path, string message)
    {
        errors.Add(field, path, message);
        return null;
    }

    private static RuleCondition? ConditionToRule(NodeForm n, string field, string path, FormErrors errors)
    {
        var fact = string.IsNullOrWhiteSpace(n.Fact) ? null : Facts.Find(n.Fact.Trim());
        var op = CriteriaBuilder.ParseToken(n.Operator);
        if (fact is null)
        {
            errors.Add(field + ".Fact", path, string.IsNullOrWhiteSpace(n.Fact)
                ? T("请选择要判断的企业信息", "Choose the fact to test")
                : T($"“{n.Fact}” 不是已知的企业信息", $"'{n.Fact}' is not a known fact"));
        }
        if (op is null)
        {
            errors.Add(field + ".Operator", path, T("请选择运算符", "Choose an operator"));
        }
        if (fact is null || op is not { } o)
        {
            return null;
        }
        var allowed = CriteriaBuilder.OperatorsFor(fact);
        if (!allowed.Contains(o))
        {
            var names = string.Join(T("、", ", "), allowed.Select(a => T(CriteriaBuilder.Info(a).Zh, CriteriaBuilder.Info(a).En)));
            errors.Add(field + ".Operator", path, T($"“{fact.LabelZh}” 可用的运算符:{names}", $"'{fact.LabelEn}' takes: {names}"));
            return null;
        }
        var parsed = BuilderValues.Parse(fact, o, n.Value);
        if (parsed.Error is not null)
        {
            errors.Add(field + ".Value", path, parsed.Error);
            return null;
        }
        return new RuleCondition(fact.Name, o, parsed.Value);
    }

    /// <summary>
    /// JSON typed by hand: malformed JSON is reported with its line and character, a rule the engine
    /// refuses with the operator and the path of the node (from <see cref="JsonLogicException"/>).
    /// </summary>
    public static JsonNode? ParseRaw(string? text, string field, string path, FormErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(field, path, T("请填写 JsonLogic 规则", "Enter the JsonLogic rule"));
            return null;
        }
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            var line = (int)(e.LineNumber ?? 0);
            var column = CharColumn(text, line, (int)(e.BytePositionInLine ?? 0));
            var reason = e.Message.Split(" LineNumber:", 2)[0].Split(" Path:", 2)[0].Trim();
            errors.Add(field, path, T($"JSON 格式有误(第 {line + 1} 行,第 {column} 个字符):{reason}",
                $"The JSON is malformed (line {line + 1}, character {column}): {reason}"));
            return null;
        }
        if (node is null)
        {
            errors.Add(field, path, T("规则不能是 null", "The rule cannot be null"));
            return null;
        }
        try
        {
            if (Infrastructure.Web.RuleLimits.Probe(CompiledRule.Compile(node)) is { } limit)
            {
                var at = path + TrimRoot(limit.Path);
                errors.Add(field, at, $"{Infrastructure.Web.RuleLimits.Describe(limit)}{T("(位置 ", " (at ")}{at}{T(")", ")")}");
                return null;
            }
        }
        catch (JsonLogicException e)
        {
            var at = path + TrimRoot(e.Path);
            // The message says where in the JSON the administrator typed (or[0].frobnicate), not the
            // catalog's path ($.criteria[0].rule…), which stays in the error's data-path.
            var inRule = TrimRoot(e.Path).TrimStart('.');
            var where = inRule.Length == 0 ? T("规则最外层", "the rule itself") : inRule;
            errors.Add(field, at, e.Operator is { } op
                ? T($"运算符 “{op}” 有误:{e.Reason}(位置 {where})", $"Operator '{op}': {e.Reason} (at {where})")
                : T($"规则有误:{e.Reason}(位置 {where})", $"The rule is not valid: {e.Reason} (at {where})"));
            return null;
        }
        return node;
    }

    /// <summary>The 1-based character column of a UTF-8 byte offset in a line: what a person counts in Chinese text.</summary>
    private static int CharColumn(string text, int line, int bytePosition)
    {
        var lines = text.Split('\n');
        if (line >= lines.Length)
        {
            return bytePosition + 1;
        }
        var bytes = Encoding.UTF8.GetBytes(lines[line]);
        return Encoding.UTF8.GetCharCount(bytes, 0, Math.Min(bytePosition, bytes.Length)) + 1;
    }

    /// <summary>The engine's paths start at the rule's root ("$"); under a criterion we drop that.</summary>
    private static string TrimRoot(string enginePath) =>
        enginePath.StartsWith('$') ? enginePath[1..] : enginePath.Length > 0 && enginePath[0] is not ('.' or '[') ? "." + enginePath : enginePath;

    // ---- the catalog's rules -----------------------------------------------------------------------

    /// <summary>
    /// Every problem of the form, each at its field: the form's own (dates, builder, JSON) and then
    /// the catalog's (<see cref="CatalogValidator"/>: the clause must exist in the plan, the quote must
    /// occur in it, ids, kinds, ranges), in the user's language.
    /// </summary>
    public static (MeasureDocument Document, FormErrors Errors) Validate(MeasureForm f, Func<string, IReadOnlyList<Clause>?> clausesOf)
    {
        var errors = new FormErrors();
        GenerateCriterionIds(f);
        var document = ToDocument(f, errors);
        if (string.IsNullOrWhiteSpace(f.Id)) errors.Add(Fields.Measure(nameof(f.Id)), "$.id", T("缺少编号(应由系统生成)", "The id is missing (the portal generates it)"));
        if (string.IsNullOrWhiteSpace(f.Title)) errors.Add(Fields.Measure(nameof(f.Title)), "$.title", T("请填写标题", "Enter the title"));
        if (string.IsNullOrWhiteSpace(f.Summary)) errors.Add(Fields.Measure(nameof(f.Summary)), "$.summary", T("请填写摘要", "Enter the summary"));
        if (string.IsNullOrWhiteSpace(f.Clause)) errors.Add(Fields.Measure(nameof(f.Clause)), "$.source.clause", T("请填写条款编号,如 二(一)3", "Enter the clause, e.g. 二(一)3"));
        if (string.IsNullOrWhiteSpace(f.Quote)) errors.Add(Fields.Measure(nameof(f.Quote)), "$.source.quote", T("请摘录条款原文", "Quote the clause's text"));
        for (var i = 0; i < f.Criteria.Count; i++)
        {
            var c = f.Criteria[i];
            if (!CriterionSlug().IsMatch((c.Id ?? "").Trim())) errors.Add(Fields.Criterion(i) + ".Id", $"$.criteria[{i}].id", T("条件编号只能由小写英文字母、数字和连字符组成,如 in-haidian", "Use lowercase letters, digits and hyphens, e.g. in-haidian"));
            if (string.IsNullOrWhiteSpace(c.LabelZh)) errors.Add(Fields.Criterion(i) + ".LabelZh", $"$.criteria[{i}].label_zh", T("请填写中文说明", "Enter the Chinese label"));
        }
        // A criterion whose rule could not be read was reported above; the catalog check would only add "is required".
        var checkable = document with { Criteria = document.Criteria.Select(c => c with { Rule = c.Rule ?? JsonValue.Create(true) }).ToList() };
        foreach (var problem in CatalogValidator.ValidateMeasures([(checkable, document.Plan, "$")], clausesOf))
        {
            errors.Add(FieldOf(problem.Path, f), problem.Path, Translate(problem));
        }
        return (document, errors);
    }

    /// <summary>
    /// Criterion ids are generated, never typed: c1, c2 … (the first free number), so a measure's
    /// criteria keep their ids across versions and a new one never clashes.
    /// </summary>
    public static void GenerateCriterionIds(MeasureForm f)
    {
        var taken = f.Criteria.Select(c => (c.Id ?? "").Trim()).Where(id => id.Length > 0).ToHashSet(StringComparer.Ordinal);
        var n = 1;
        foreach (var c in f.Criteria.Where(c => string.IsNullOrWhiteSpace(c.Id)))
        {
            while (taken.Contains($"c{n}"))
            {
                n++;
            }
            c.Id = $"c{n}";
            taken.Add(c.Id);
        }
    }

    /// <summary>
    /// Problems that only make a draft incomplete (a title, the quote, a label not yet written; a quote
    /// no longer in the clause): a draft is saved with them and publishing refuses it. Anything else
    /// (a malformed date, rule or id) cannot be stored and blocks saving.
    /// </summary>
    public static bool OnlyIncomplete(FormErrors errors) =>
        errors.All.All(e => e.Field is "m.Title" or "m.Summary" or "m.Clause" or "m.Quote" || e.Field.EndsWith(".LabelZh", StringComparison.Ordinal));

    /// <summary>A form field's name as the page shows it, in the user's language: what a message is about.</summary>
    public static string FieldLabel(string field)
    {
        var c = CriterionField().Match(field);
        if (c.Success)
        {
            var n = int.Parse(c.Groups[1].Value, CultureInfo.InvariantCulture) + 1;
            var rest = c.Groups[2].Value;
            var part = rest switch
            {
                "Id" => T("编号", "id"),
                "LabelZh" => T("中文说明", "Chinese label"),
                "LabelEn" => T("英文说明", "English label"),
                "Raw" => "JsonLogic",
                "" => "",
                _ when rest.EndsWith(".Value", StringComparison.Ordinal) => T("的取值", " value"),
                _ when rest.EndsWith(".Operator", StringComparison.Ordinal) => T("的运算符", " operator"),
                _ when rest.EndsWith(".Fact", StringComparison.Ordinal) => T("的企业信息", " fact"),
                _ => T("的规则", " rule"),
            };
            return T($"条件 {n} {part}", $"Criterion {n} {part}").Trim();
        }
        var property = field.StartsWith(MeasureForm.Prefix + ".", StringComparison.Ordinal) ? field[(MeasureForm.Prefix.Length + 1)..] : field;
        return property switch
        {
            "Id" => T("编号", "Id"),
            "Plan" => T("政策文件", "Plan"),
            "Title" => T("标题", "Title"),
            "TitleEn" => T("英文标题", "English title"),
            "Summary" => T("摘要", "Summary"),
            "Kind" => T("支持方式", "Kind of support"),
            "Amount" => T("金额", "Amount"),
            "Departments" => T("责任单位", "Departments"),
            "Regions" => T("适用地区", "Regions"),
            "FocusAreas" => T("重点领域", "Focus areas"),
            "PeriodFrom" => T("有效期开始", "Period from"),
            "PeriodTo" => T("有效期截止", "Period to"),
            "WindowOpens" => T("申报开始日期", "Window opens"),
            "WindowCloses" => T("申报截止日期", "Window closes"),
            "Clause" => T("条款", "Clause"),
            "Quote" => T("引用原文", "Quote"),
            "Notes" => T("备注", "Notes"),
            "Criteria" => T("申请条件", "Criteria"),
            _ => T("措施", "Measure"),
        };
    }

    [GeneratedRegex(@"^\$\.criteria\[(\d+)\](?:\.(id|label_zh|label_en|rule))?")]
    private static partial Regex CriterionPath();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex CriterionSlug();

    private static readonly string[] PageOrder =
    [
        "Id", "Plan", "Title", "TitleEn", "Summary", "Kind", "Amount", "Departments", "Regions", "FocusAreas",
        "PeriodFrom", "PeriodTo", "WindowOpens", "WindowCloses", "Clause", "Quote", "Notes",
        "Apply.Beneficiary", "Apply.Channel", "Apply.ChannelDetail", "Apply.Contact", "Apply.Documents", "Apply.Links", "Criteria",
    ];

    [GeneratedRegex(@"^m\.Criteria\[(\d+)\]\.?(.*)$")]
    private static partial Regex CriterionField();

    /// <summary>Where a field sits on the page, so the error summary reads top to bottom.</summary>
    public static (int Block, int Index, int Part, string Tail) PageRank(string field)
    {
        var c = CriterionField().Match(field);
        if (c.Success)
        {
            var rest = c.Groups[2].Value;
            var part = rest switch { "Id" => 0, "LabelZh" => 1, "LabelEn" => 2, _ => 3 };
            return (1, int.Parse(c.Groups[1].Value, CultureInfo.InvariantCulture), part, rest);
        }
        var property = field.StartsWith(MeasureForm.Prefix + ".", StringComparison.Ordinal) ? field[(MeasureForm.Prefix.Length + 1)..] : field;
        var i = Array.IndexOf(PageOrder, property);
        return (0, i < 0 ? -1 : i, 0, "");
    }

    /// <summary>The form field a catalog path belongs to ("$.source.quote" → "m.Quote").</summary>
    public static string FieldOf(string path, MeasureForm f)
    {
        var criterion = CriterionPath().Match(path);
        if (criterion.Success)
        {
            var i = int.Parse(criterion.Groups[1].Value, CultureInfo.InvariantCulture);
            var at = Fields.Criterion(i);
            return criterion.Groups[2].Value switch
            {
                "id" => at + ".Id",
                "label_zh" => at + ".LabelZh",
                "label_en" => at + ".LabelEn",
                "rule" when i < f.Criteria.Count && f.Criteria[i].IsRaw => at + ".Raw",
                "rule" => Fields.Root(i),
                _ => at,
            };
        }
        return path switch
        {
            "$.id" => Fields.Measure(nameof(MeasureForm.Id)),
            "$.title" => Fields.Measure(nameof(MeasureForm.Title)),
            "$.summary" => Fields.Measure(nameof(MeasureForm.Summary)),
            "$.kind" => Fields.Measure(nameof(MeasureForm.Kind)),
            "$.period" => Fields.Measure(nameof(MeasureForm.PeriodFrom)),
            "$.window" => Fields.Measure(nameof(MeasureForm.WindowOpens)),
            "$.plan" => Fields.Measure(nameof(MeasureForm.Plan)),
            "$.source.clause" => Fields.Measure(nameof(MeasureForm.Clause)),
            "$.source.quote" => Fields.Measure(nameof(MeasureForm.Quote)),
            "$.criteria" => Fields.Measure(nameof(MeasureForm.Criteria)),
            "$.beneficiary" => ApplyForm.Field(nameof(ApplyForm.Beneficiary)),
            _ when path.StartsWith("$.apply.links", StringComparison.Ordinal) => ApplyForm.Field(nameof(ApplyForm.Links)),
            _ when path.StartsWith("$.apply.documents", StringComparison.Ordinal) => ApplyForm.Field(nameof(ApplyForm.Documents)),
            "$.apply.channel" => ApplyForm.Field(nameof(ApplyForm.Channel)),
            _ => "",
        };
    }

    /// <summary>The catalog validator speaks English (it also checks seed files); the form speaks the user's language.</summary>
    public static string Translate(CatalogProblem p)
    {
        var m = p.Message;
        if (English) return m;
        if (m == "is required") return "必填";
        if (m.StartsWith("the plan has no clause", StringComparison.Ordinal)) return $"政策文件中没有这个条款:{m["the plan has no clause ".Length..].Trim('\'')}";
        if (m.StartsWith("does not occur in the text of clause", StringComparison.Ordinal)) return $"引文必须逐字出现在条款 {m["does not occur in the text of clause ".Length..]} 的原文中";
        if (m.StartsWith("unknown plan", StringComparison.Ordinal)) return "请选择政策文件";
        if (m.Contains("is not a valid id", StringComparison.Ordinal)) return "编号只能由小写英文字母、数字和连字符组成,如 hd-new-measure";
        if (m.Contains("is used twice", StringComparison.Ordinal)) return "编号重复";
        if (m.Contains("is not one of", StringComparison.Ordinal)) return "请选择支持方式";
        if (m == "'from' is after 'to'") return "开始日期晚于结束日期";
        if (m == "'opens' is after 'closes'") return "申报开始日期晚于截止日期";
        return m;
    }

    // ---- the builder's buttons ---------------------------------------------------------------------

    /// <summary>
    /// Applies a button of the form ("add-condition:0/2", "remove:0/1", "to-raw:0" …). The builder
    /// works without JavaScript: each button posts the form, the page comes back changed. Returns the
    /// problems of a conversion that could not be made (the form is then left as it was).
    /// </summary>
    public static FormErrors Apply(MeasureForm f, string command)
    {
        var errors = new FormErrors();
        var (name, arg) = command.Split(':', 2) is [var n, var a] ? (n, a) : (command, "");
        var path = arg.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var k) ? k : -1).ToArray();
        if (path.Any(k => k < 0))
        {
            return errors;
        }
        switch (name)
        {
            case "add-criterion":
                f.Criteria.Add(new CriterionForm { Builder = new GroupForm { Items = [new NodeForm()] } });
                break;
            case "remove-criterion" when path is [var i] && i < f.Criteria.Count:
                f.Criteria.RemoveAt(i);
                break;
            case "add-condition" when GroupAt(f, path) is { } group:
                group.Items.Add(new NodeForm());
                break;
            case "add-group" when GroupAt(f, path) is { } group && path.Length < CriteriaBuilder.MaxDepth:
                group.Items.Add(new NodeForm { Kind = "group", Operator = null, Group = new GroupForm { Combinator = "or", Items = [new NodeForm(), new NodeForm()] } });
                break;
            case "remove" when path.Length >= 2 && GroupAt(f, path[..^1]) is { } parent && path[^1] < parent.Items.Count:
                parent.Items.RemoveAt(path[^1]);
                break;
            case "to-raw" when path is [var i] && i < f.Criteria.Count && !f.Criteria[i].IsRaw:
                var c = f.Criteria[i];
                var root = GroupToRule(c.Builder, Fields.Root(i), $"$.criteria[{i}].rule", 1, errors);
                if (root is not null)
                {
                    c.Raw = AuthoringJson.Indented(CriteriaBuilder.ToJsonLogic(root));
                    c.Mode = CriterionForm.ModeRaw;
                    c.Note = null;
                }
                break;
            case "to-builder" when path is [var i] && i < f.Criteria.Count && f.Criteria[i].IsRaw:
                var raw = f.Criteria[i];
                var rule = ParseRaw(raw.Raw, Fields.Criterion(i) + ".Raw", $"$.criteria[{i}].rule", errors);
                if (rule is null)
                {
                    break;
                }
                var read = CriteriaBuilder.Read(rule);
                if (read.Root is { } shown)
                {
                    raw.Builder = GroupFrom(shown);
                    raw.Mode = CriterionForm.ModeBuilder;
                    raw.Note = null;
                }
                else
                {
                    raw.Note = read.Reason;
                }
                break;
        }
        return errors;
    }

    /// <summary>The group at a button's path: [criterion, item, item …], each item a nested group.</summary>
    private static GroupForm? GroupAt(MeasureForm f, int[] path)
    {
        if (path.Length == 0 || path[0] >= f.Criteria.Count || f.Criteria[path[0]].IsRaw)
        {
            return null;
        }
        var group = f.Criteria[path[0]].Builder;
        foreach (var k in path[1..])
        {
            if (k >= group.Items.Count || group.Items[k] is not { IsGroup: true } item)
            {
                return null;
            }
            group = item.Group ??= new GroupForm();
        }
        return group;
    }
}
