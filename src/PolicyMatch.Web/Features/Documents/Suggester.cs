using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PolicyMatch.Rules;
using PolicyMatch.Web.Features.Profiles;

namespace PolicyMatch.Web.Features.Documents;

/// <summary>A criterion the suggester read from a sentence: the rule, its labels, and the words it came from.</summary>
public sealed record SuggestedCriterion(string Id, string LabelZh, string LabelEn, JsonNode Rule, string From);

/// <summary>A draft measure proposed from one sentence of a clause. Only what the sentence states.</summary>
public sealed record Suggestion(
    string ClauseRef, string Sentence, string Kind, string KindFrom, string? Amount, DateOnly? WindowOpens, DateOnly? WindowCloses, string? WindowFrom,
    IReadOnlyList<string> FocusAreas, IReadOnlyList<SuggestedCriterion> Criteria);

public sealed record ClauseSuggestions(string ClauseRef, IReadOnlyList<Suggestion> Suggestions);

/// <summary>
/// Proposes draft measures from a policy document's sentences with a fixed dictionary and a few
/// patterns (see README.md): plain, deterministic code, no model. A sentence is proposed only when it
/// gives a company something (a giving word such as 给予/奖励/补贴/支持 with a company word such as 企业
/// in reach), and each criterion carries the exact words it was read from so the administrator can
/// check it against the text. What the dictionary does not know is left out, never guessed.
/// </summary>
public static partial class Suggester
{
    // ---- the dictionary ----------------------------------------------------------------------------

    /// <summary>Words naming who receives the support: a company or its people.</summary>
    public static readonly IReadOnlyList<string> CompanyWords = ["企业", "公司", "团队", "人才", "创业者", "在孵"];

    /// <summary>Words that give something.</summary>
    public static readonly IReadOnlyList<string> GivingWords =
        ["给予", "奖励", "补贴", "补助", "资助", "奖补", "贴息", "扶持", "支持", "鼓励", "提供", "减免", "兑现", "领取", "发放", "认定", "入库"];

    /// <summary>Qualifications, longest first (so 专精特新中小企业 wins over 专精特新), each with its rule.</summary>
    public static readonly IReadOnlyList<(string[] Words, string Key, string Zh, string En, Func<JsonNode> Rule)> Qualifications =
    [
        (["专精特新“小巨人”", "专精特新\"小巨人\"", "专精特新「小巨人」", "小巨人"], "little-giant", "专精特新“小巨人”企业", "SRDI little giant",
            () => Compare(">=", Facts.SrdiRank, 3)),
        (["专精特新中小企业", "专精特新企业", "专精特新"], "srdi", "专精特新中小企业(及以上)", "Specialized SME (专精特新) or above",
            () => Compare(">=", Facts.SrdiRank, 2)),
        (["创新型中小企业"], "innovative-sme", "创新型中小企业(及以上)", "Innovative SME or above", () => Compare(">=", Facts.SrdiRank, 1)),
        (["国家高新技术企业", "高新技术企业", "国家高新企业", "高新企业"], "hightech", "高新技术企业资格在有效期内", "High-tech enterprise certificate valid",
            () => Compare("==", Facts.HightechValid, true)),
        (["科技型中小企业"], "tech-sme", "本年度入库科技型中小企业", "Registered tech-based SME this year", () => Compare("==", Facts.TechSmeValid, true)),
        (["独角兽企业", "独角兽"], "unicorn", "独角兽企业", "Unicorn", () => Compare("==", Facts.Unicorn, true)),
        (["瞪羚企业", "瞪羚"], "gazelle", "瞪羚企业", "Gazelle", () => Compare("==", Facts.Gazelle, true)),
        (["拟上市企业", "拟上市", "上市后备企业"], "intends-to-list", "有上市意向", "Intends to list", () => Compare("==", Facts.ListingStatus, "intends")),
        (["已上市企业", "上市企业", "上市公司"], "listed", "已上市", "Listed", () => Compare("==", Facts.ListingStatus, "listed")),
    ];

    /// <summary>Focus areas and industries, in the plans' own words (the profile's list, and what the plans also say).</summary>
    public static readonly IReadOnlyList<string> FocusAreaWords =
        [.. Facts.FocusAreaList, "生物医药", "新能源汽车", "绿色能源", "高端装备", "信息技术", "元宇宙", "种业"];

    // ---- reading -----------------------------------------------------------------------------------

    /// <summary>Suggestions for every clause that has any, in document order.</summary>
    public static IReadOnlyList<ClauseSuggestions> ForClauses(IEnumerable<(string Ref, string Text)> clauses, IReadOnlyList<string> documentRegions) =>
        clauses.Select(c => new ClauseSuggestions(c.Ref, ForText(c.Ref, c.Text, documentRegions))).Where(c => c.Suggestions.Count > 0).ToList();

    /// <summary>
    /// The application windows the document states anywhere (a notice usually gives its window in a
    /// sentence of its own, "申报时间为2025年4月7日至4月30日。"), with the words each came from.
    /// </summary>
    public static IReadOnlyList<(string ClauseRef, DateOnly? Opens, DateOnly Closes, string From)> DocumentWindows(IEnumerable<(string Ref, string Text)> clauses) =>
        clauses.SelectMany(c => Sentences(c.Text).Select(s => (c.Ref, Window: WindowOf(s))))
            .Where(x => x.Window.Closes is not null)
            .Select(x => (x.Ref, x.Window.Opens, x.Window.Closes!.Value, x.Window.From!))
            .ToList();

    /// <summary>Suggestions for the sentences of one clause's text.</summary>
    public static IReadOnlyList<Suggestion> ForText(string clauseRef, string text, IReadOnlyList<string> documentRegions) =>
        Sentences(text).Select(s => ForSentence(clauseRef, s, documentRegions)).OfType<Suggestion>().ToList();

    /// <summary>A clause's sentences: split after 。！？ and line ends, as written (quotes must match the text).</summary>
    public static IEnumerable<string> Sentences(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            var start = 0;
            for (var i = 0; i < line.Length; i++)
            {
                if (Terminal(line[i]) && (i + 1 >= line.Length || line[i + 1] is not ('”' or '"' or '）' or ')')))
                {
                    var s = line[start..(i + 1)].Trim();
                    if (s.Length > 0)
                    {
                        yield return s;
                    }
                    start = i + 1;
                }
            }
            var rest = line[start..].Trim();
            if (rest.Length > 0)
            {
                yield return rest;
            }
        }
    }

    private static bool Terminal(char c) => c is '。' or '！' or '？' or '!' or '?' or '；' or ';';

    /// <summary>The draft measure a sentence states, or null when it gives a company nothing.</summary>
    public static Suggestion? ForSentence(string clauseRef, string sentence, IReadOnlyList<string> documentRegions)
    {
        // A line without a full stop is a heading ("(二)初创企业支持"): it names a topic, not a measure.
        // The one exception is a notice's title ("关于……的通知"), which is all some notices say.
        var end = sentence.TrimEnd('”', '"', '）', ')');
        if (end.Length == 0 || (!Terminal(end[^1]) && !end.EndsWith("通知", StringComparison.Ordinal)))
        {
            return null;
        }
        if (!GivesACompany(sentence))
        {
            return null;
        }
        // The title of another document (《……办法》) names its subject, not this sentence's conditions.
        var original = sentence;
        sentence = TitleInBrackets().Replace(sentence, m => new string('□', m.Length));
        var criteria = new List<SuggestedCriterion>();
        AddRegion(sentence, documentRegions, criteria);
        AddQualifications(sentence, criteria);
        AddThresholds(sentence, criteria);
        var focus = FocusAreaWords.Where(w => sentence.Contains(w, StringComparison.Ordinal))
            // 信息技术 inside 新一代信息技术, 种业 inside 现代种业: keep the longer words only.
            .Where((w, _) => !FocusAreaWords.Any(o => o != w && o.Contains(w, StringComparison.Ordinal) && sentence.Contains(o, StringComparison.Ordinal)))
            .Distinct().ToList();
        if (focus.Count > 0)
        {
            var rules = focus.Select(f => (JsonNode)new JsonObject { ["in"] = new JsonArray(f, Var(Facts.FocusAreas)) }).ToList();
            criteria.Add(new SuggestedCriterion("focus-area", $"重点领域为{string.Join("、", focus)}{(focus.Count > 1 ? "之一" : "")}",
                $"Focus area: {string.Join(" / ", focus)}", AnyOf(rules), string.Join("、", focus)));
        }
        var (kind, kindFrom) = KindOf(sentence);
        var amount = AmountOf(sentence);
        var (opens, closes, windowFrom) = WindowOf(sentence);
        return new Suggestion(clauseRef, original, kind, kindFrom, amount, opens, closes, windowFrom, focus, criteria);
    }

    /// <summary>
    /// Whether the sentence gives a company something: a giving word whose own comma-separated part
    /// names a company, or whose part follows a condition part naming one ("对……的企业，给予……").
    /// "支持北京科技大学建设……" gives a university, not a company, and is left out.
    /// </summary>
    public static bool GivesACompany(string sentence)
    {
        var parts = PartSplit().Split(sentence);
        for (var i = 0; i < parts.Length; i++)
        {
            // "为支持企业加大研发投入" states a purpose, not support.
            if (!GivingWords.Any(w => parts[i].Contains(w, StringComparison.Ordinal)) || Purpose().IsMatch(parts[i]))
            {
                continue;
            }
            if (NamesACompany(parts[i]))
            {
                return true;
            }
            // The conditions may come first, in their own part(s): 对……企业，按……给予补贴。
            for (var j = i - 1; j >= 0; j--)
            {
                if (ConditionPart().IsMatch(parts[j]) && NamesACompany(parts[j]))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static bool NamesACompany(string part) => CompanyWords.Any(w => part.Contains(w, StringComparison.Ordinal));

    private static void AddRegion(string sentence, IReadOnlyList<string> documentRegions, List<SuggestedCriterion> criteria)
    {
        var districts = Facts.Districts.Select(d => d.Name).Where(d => sentence.Contains(d, StringComparison.Ordinal)).Distinct().ToList();
        if (districts.Count == 1)
        {
            criteria.Add(new SuggestedCriterion("in-district", $"注册在{districts[0]}", $"Registered in {districts[0]}", Compare("==", Facts.District, districts[0]), districts[0]));
        }
        else if (districts.Count > 1)
        {
            criteria.Add(new SuggestedCriterion("in-district", $"注册在{string.Join("、", districts)}之一", "Registered in one of the districts",
                new JsonObject { ["in"] = new JsonArray(Var(Facts.District), new JsonArray(districts.Select(d => (JsonNode?)d).ToArray())) }, string.Join("、", districts)));
        }
        else if (documentRegions.Where(r => Facts.Districts.Any(d => d.Name == r)).ToList() is [var only])
        {
            // A district's document speaks for that district ("本区", or nothing said): its one
            // district region says which, and the criterion says it came from the document's metadata.
            var from = BenQu().Match(sentence) is { Success: true } m ? $"{m.Value}(文件适用地区:{only})" : $"文件适用地区:{only}";
            criteria.Add(new SuggestedCriterion("in-district", $"注册在{only}", $"Registered in {only}", Compare("==", Facts.District, only), from));
        }
        var zones = Facts.ZoneList.Select(z => z.Name).Where(z => sentence.Contains(z, StringComparison.Ordinal)).Distinct().ToList();
        if (zones.Count > 0)
        {
            var rules = zones.Select(z => (JsonNode)new JsonObject { ["in"] = new JsonArray(z, Var(Facts.Zones)) }).ToList();
            criteria.Add(new SuggestedCriterion("in-zone", $"位于{string.Join("、", zones)}{(zones.Count > 1 ? "之一" : "")}", $"Located in {string.Join(" / ", zones)}",
                AnyOf(rules), string.Join("、", zones)));
        }
    }

    /// <summary>
    /// Qualifications the sentence sets as a condition. One that is the support itself or a goal —
    /// 高新技术企业认定, 培育……专精特新, 向“专精特新”方向发展 — is not a condition and is left out.
    /// Several in one sentence (独角兽、专精特新企业) are alternatives: any of them.
    /// </summary>
    private static void AddQualifications(string sentence, List<SuggestedCriterion> criteria)
    {
        var taken = new bool[sentence.Length];
        var found = new List<(int At, string Word, string Key, string Zh, string En, JsonNode Rule)>();
        foreach (var (words, key, zh, en, rule) in Qualifications)
        {
            foreach (var word in words)
            {
                for (var at = sentence.IndexOf(word, StringComparison.Ordinal); at >= 0; at = sentence.IndexOf(word, at + word.Length, StringComparison.Ordinal))
                {
                    if (Enumerable.Range(at, word.Length).Any(i => taken[i]))
                    {
                        continue;
                    }
                    for (var i = at; i < at + word.Length; i++)
                    {
                        taken[i] = true;
                    }
                    if (!IsGoal(sentence, at, word.Length) && found.All(f => f.Key != key))
                    {
                        found.Add((at, word, key, zh, en, rule()));
                    }
                }
            }
        }
        found.Sort((a, b) => a.At.CompareTo(b.At));
        if (found.Count == 1)
        {
            var f = found[0];
            criteria.Add(new SuggestedCriterion(f.Key, f.Zh, f.En, f.Rule, f.Word));
        }
        else if (found.Count > 1)
        {
            criteria.Add(new SuggestedCriterion("qualification", string.Join("或", found.Select(f => f.Zh)), string.Join(" or ", found.Select(f => f.En)),
                AnyOf(found.Select(f => f.Rule).ToList()), string.Join("、", found.Select(f => f.Word))));
        }
    }

    private static bool IsGoal(string sentence, int at, int length)
    {
        var before = sentence[Math.Max(0, at - 4)..at];
        var after = sentence[(at + length)..Math.Min(sentence.Length, at + length + 4)];
        return GoalBefore().IsMatch(before) || GoalAfter().IsMatch(after);
    }

    /// <summary>Thresholds stated in numbers: revenue, R&amp;D spending and its share, employees, age.</summary>
    private static void AddThresholds(string sentence, List<SuggestedCriterion> criteria)
    {
        if (RdShare().Match(sentence) is { Success: true } share)
        {
            var (op, zh) = Op(share.Groups["cmp"].Value, share.Groups["tail"].Value);
            var ratio = decimal.Parse(share.Groups["n"].Value, CultureInfo.InvariantCulture) / 100m;
            criteria.Add(new SuggestedCriterion("rd-intensity", $"研发投入占营业收入比例{zh}{share.Groups["n"].Value}%", $"R&D intensity {op} {ratio}",
                Compare(op, Facts.RdIntensity, ratio), share.Value));
        }
        else if (RdAmount().Match(sentence) is { Success: true } rd)
        {
            var (op, zh) = Op(rd.Groups["cmp"].Value, rd.Groups["tail"].Value);
            criteria.Add(new SuggestedCriterion("rd-expense", $"上年度研发费用{zh}{rd.Groups["n"].Value}{rd.Groups["unit"].Value}", $"R&D expense last year {op} {Yuan(rd)} yuan",
                Compare(op, Facts.RdExpenseLastYear, Yuan(rd)), rd.Value));
        }
        if (Revenue().Match(sentence) is { Success: true } rev)
        {
            var (op, zh) = Op(rev.Groups["cmp"].Value, rev.Groups["tail"].Value);
            criteria.Add(new SuggestedCriterion("revenue", $"上年度营业收入{zh}{rev.Groups["n"].Value}{rev.Groups["unit"].Value}", $"Revenue last year {op} {Yuan(rev)} yuan",
                Compare(op, Facts.RevenueLastYear, Yuan(rev)), rev.Value));
        }
        if (Employees().Match(sentence) is { Success: true } emp)
        {
            var (op, zh) = Op(emp.Groups["cmp"].Value, emp.Groups["tail"].Value);
            var n = int.Parse(emp.Groups["n"].Value, CultureInfo.InvariantCulture);
            criteria.Add(new SuggestedCriterion("employees", $"从业人员{zh}{n}人", $"Employees {op} {n}", Compare(op, Facts.Employees, n), emp.Value));
        }
        if (Age().Match(sentence) is { Success: true } age)
        {
            var n = ChineseNumber(age.Groups["n"].Value);
            var (op, zh) = age.Groups["cmp"].Value is "不满" or "未满" or "不足" ? ("<", "不满")
                : age.Groups["cmp"].Value is "不超过" || age.Groups["tail"].Value is "以内" or "以下" ? ("<=", "不超过")
                : (">=", "满");
            criteria.Add(new SuggestedCriterion("age", $"成立{zh}{n}年", $"Age in years {op} {n}", Compare(op, Facts.AgeYears, n), age.Value));
        }
    }

    private static decimal Yuan(Match m)
    {
        var n = decimal.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
        return n * (m.Groups["unit"].Value == "亿元" ? 100_000_000m : 10_000m);
    }

    /// <summary>The comparison a phrase states: 不低于/达到/以上 ≥, 超过/高于 &gt;, 不超过/以下/以内 ≤, 低于/少于 &lt;.</summary>
    private static (string Op, string Zh) Op(string cmp, string tail) => cmp switch
    {
        "超过" or "高于" or "大于" => (">", "超过"),
        "不超过" or "不高于" or "不大于" => ("<=", "不超过"),
        "低于" or "少于" or "小于" or "不足" or "不满" => ("<", "低于"),
        _ when tail is "以下" or "以内" => ("<=", "不超过"),
        _ => (">=", "不低于"),
    };

    private static int ChineseNumber(string text) => text switch
    {
        "一" => 1, "两" or "二" => 2, "三" => 3, "四" => 4, "五" => 5, "六" => 6, "七" => 7, "八" => 8, "九" => 9, "十" => 10,
        _ => int.Parse(text, CultureInfo.InvariantCulture),
    };

    /// <summary>The kind of support, by the first word of the dictionary the sentence has.</summary>
    public static (string Kind, string From) KindOf(string sentence)
    {
        foreach (var (word, kind) in KindWords)
        {
            if (sentence.Contains(word, StringComparison.Ordinal))
            {
                return (kind, word);
            }
        }
        return ("service", "");
    }

    private static readonly (string Word, string Kind)[] KindWords =
    [
        ("贴息", "loan_subsidy"), ("贷款", "loan_subsidy"), ("转贷", "loan_subsidy"), ("首贷", "loan_subsidy"), ("融资", "loan_subsidy"), ("担保", "loan_subsidy"),
        ("认定", "certification"), ("入库", "certification"), ("备案", "certification"),
        ("首台", "procurement"), ("首购", "procurement"), ("采购", "procurement"),
        ("奖励", "award"), ("奖补", "award"),
        ("补贴", "funding"), ("补助", "funding"), ("资助", "funding"), ("资金", "funding"),
        ("人才", "talent"), ("团队", "talent"), ("公寓", "talent"),
        ("房租", "space"), ("租金", "space"), ("办公用房", "space"), ("场地", "space"),
    ];

    /// <summary>The amount or ratio as written ("最高给予50万元", "按30%给予补贴"); null when the sentence states none.</summary>
    public static string? AmountOf(string sentence)
    {
        // A sum is an amount only when the sentence gives it (最高/给予/奖励… before, or 奖励/补贴… after);
        // "营业收入不低于2000万元" is a threshold, not an amount.
        var parts = AmountPattern().Matches(sentence).Select(m => m.Value)
            .Where(v => v.StartsWith('按') || GivenAmount().IsMatch(v))
            .Distinct().ToList();
        return parts.Count == 0 ? null : string.Join(",", parts);
    }

    /// <summary>An application window "2025年4月7日至4月30日" (the year carries over), or a deadline "截至2025年4月30日".</summary>
    public static (DateOnly? Opens, DateOnly? Closes, string? From) WindowOf(string sentence)
    {
        if (WindowPattern().Match(sentence) is { Success: true } w)
        {
            var y1 = int.Parse(w.Groups["y1"].Value, CultureInfo.InvariantCulture);
            var y2 = w.Groups["y2"].Success ? int.Parse(w.Groups["y2"].Value, CultureInfo.InvariantCulture) : y1;
            if (TryDate(y1, w.Groups["m1"].Value, w.Groups["d1"].Value) is { } opens && TryDate(y2, w.Groups["m2"].Value, w.Groups["d2"].Value) is { } closes && opens <= closes)
            {
                return (opens, closes, w.Value);
            }
        }
        if (DeadlinePattern().Match(sentence) is { Success: true } d
            && TryDate(int.Parse(d.Groups["y"].Value, CultureInfo.InvariantCulture), d.Groups["m"].Value, d.Groups["d"].Value) is { } deadline)
        {
            return (null, deadline, d.Value);
        }
        return (null, null, null);
    }

    private static DateOnly? TryDate(int year, string month, string day) =>
        int.TryParse(month, CultureInfo.InvariantCulture, out var m) && int.TryParse(day, CultureInfo.InvariantCulture, out var d)
        && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(year, m) ? new DateOnly(year, m, d) : null;

    // ---- rules ---------------------------------------------------------------------------------------

    private static JsonObject Var(string fact) => new() { ["var"] = fact };

    private static JsonNode Compare(string op, string fact, JsonNode? value) => new JsonObject { [op] = new JsonArray(Var(fact), value) };

    private static JsonNode Compare(string op, string fact, bool value) => Compare(op, fact, JsonValue.Create(value));

    private static JsonNode Compare(string op, string fact, int value) => Compare(op, fact, JsonValue.Create(value));

    // 1.5亿元 is 150000000.0 in decimal arithmetic; the rule says 150000000 ("G29" drops trailing zeros).
    private static JsonNode Compare(string op, string fact, decimal value) =>
        Compare(op, fact, JsonValue.Create(decimal.Parse(value.ToString("G29", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)));

    private static JsonNode Compare(string op, string fact, string value) => Compare(op, fact, JsonValue.Create(value));

    private static JsonNode AnyOf(IReadOnlyList<JsonNode> rules) => rules.Count == 1 ? rules[0] : new JsonObject { ["or"] = new JsonArray(rules.ToArray()) };

    // ---- patterns ------------------------------------------------------------------------------------

    [GeneratedRegex("[，,；;：:]")]
    private static partial Regex PartSplit();

    /// <summary>A part that sets conditions for the part after it: 对……, 凡……, 符合……, or one ending in a company word.</summary>
    [GeneratedRegex("^(对于?|凡|符合|经认定的|新认定的|获得)|(企业|公司|团队)$")]
    private static partial Regex ConditionPart();

    [GeneratedRegex("^为了?(支持|鼓励|促进|推动|加快|落实|进一步)")]
    private static partial Regex Purpose();

    [GeneratedRegex("本区|我区|区内")]
    private static partial Regex BenQu();

    [GeneratedRegex("(向|成为|培育|打造|争创|升级为|晋级为?|认定为|申报|申请|培育一批|新增)[“\"「]?$")]
    private static partial Regex GoalBefore();

    [GeneratedRegex("^[”\"」]?(认定|申报|评价|培育|入库|方向|梯度|目标|评审|备案|互认|数量|总数|达到)")]
    private static partial Regex GoalAfter();

    [GeneratedRegex(@"研发(?:投入|费用|经费)(?:总额)?(?:占(?:同期)?(?:营业收入|销售收入|主营业务收入)?(?:总额)?(?:的)?(?:比重|比例)|强度|占比)(?<cmp>不低于|不少于|达到|超过|高于|在)?(?<n>\d+(?:\.\d+)?)[%％](?<tail>以上|及以上)?")]
    private static partial Regex RdShare();

    [GeneratedRegex(@"研发(?:投入|费用|经费)(?:总额)?(?<cmp>不低于|不少于|达到|超过|高于|在)(?<n>\d+(?:\.\d+)?)(?<unit>万元|亿元)(?<tail>以上|及以上)?")]
    private static partial Regex RdAmount();

    [GeneratedRegex(@"(?:上一?年度|年度|年)?(?:营业收入|营收|销售收入|主营业务收入)(?<cmp>不低于|不少于|达到|超过|高于|低于|不超过|在)?(?<n>\d+(?:\.\d+)?)(?<unit>万元|亿元)(?<tail>以上|及以上|以下|以内)?")]
    private static partial Regex Revenue();

    [GeneratedRegex(@"(?:从业人员|从业人数|职工人数|员工人数|职工|员工)(?:数)?(?<cmp>不低于|不少于|达到|超过|不超过|低于|少于|在)?(?<n>\d+)(?:人|名)(?<tail>以上|及以上|以下|以内)?")]
    private static partial Regex Employees();

    [GeneratedRegex(@"成立(?:时间)?(?<cmp>不满|未满|不足|不超过|满)?(?<n>\d+|[一二两三四五六七八九十])(?:个)?(?:周)?年(?<tail>以上|以内|以下)?")]
    private static partial Regex Age();

    [GeneratedRegex(@"(?:最高|最多|一次性)?(?:给予|奖励|补贴|资助|补助|支持)?(?:不超过|最高)?\d+(?:\.\d+)?(?:万元|亿元)(?:的?(?:奖励|补贴|资助|支持|补助))?|按(?:照)?[^，,。；]{0,12}?\d+(?:\.\d+)?[%％](?:的比例)?(?:给予)?(?:补贴|奖励|资助|补助|贴息)?")]
    private static partial Regex AmountPattern();

    [GeneratedRegex("^(最高|最多|一次性|给予|奖励|补贴|资助|补助|支持)|(奖励|补贴|资助|补助|支持)$")]
    private static partial Regex GivenAmount();

    [GeneratedRegex("《[^《》]*》")]
    private static partial Regex TitleInBrackets();

    [GeneratedRegex(@"(?<y1>20\d\d)年(?<m1>\d{1,2})月(?<d1>\d{1,2})日(?:起)?(?:至|到|—|－|-|~)(?:(?<y2>20\d\d)年)?(?<m2>\d{1,2})月(?<d2>\d{1,2})日")]
    private static partial Regex WindowPattern();

    [GeneratedRegex(@"(?:截至|截止(?:日期)?(?:为|至|到)?|于)(?<y>20\d\d)年(?<m>\d{1,2})月(?<d>\d{1,2})日(?:前|之前|截止)?")]
    private static partial Regex DeadlinePattern();
}
