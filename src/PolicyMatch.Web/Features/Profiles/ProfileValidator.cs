using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using static PolicyMatch.Web.Infrastructure.Web.L;

namespace PolicyMatch.Web.Features.Profiles;

/// <summary>A checked profile, or the problems found, keyed by fact name (e.g. "employees", "hightech_certificate.expires_on").</summary>
public sealed record ProfileCheck(JsonObject Profile, IReadOnlyDictionary<string, string> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>
/// Turns what a user typed (the form) or sent (the JSON API) into a profile of the public facts of
/// PRODUCT.md §1, or says precisely what is wrong with each fact, in the user's language. Unanswered
/// facts are left out (unknown); a qualification answered "no" is stored as false.
/// </summary>
public sealed class ProfileValidator(Industries industries, TimeProvider? clock = null)
{
    /// <summary>Today's business date in Beijing, from the injected clock: a founding date after it is refused.</summary>
    private DateOnly Today => Infrastructure.Time.BeijingTime.Today(clock ?? TimeProvider.System);

    /// <summary>The public facts of PRODUCT.md §1, in the order the form and reports show them.</summary>
    public static readonly IReadOnlyList<string> PublicFacts =
    [
        "name", "uscc", "district", "zones", "industry_code", "focus_areas", "established_on", "employees",
        "revenue_last_year", "rd_expense_last_year", "hightech_certificate", "tech_sme_year", "srdi_level",
        "unicorn", "gazelle", "listing_status", "invention_patents", "postdoc_workstation", "university_joint_lab",
        "incubator_tenant", "university_spinoff",
    ];

    public static readonly IReadOnlySet<string> FactNames = PublicFacts.ToHashSet();

    private static readonly string[] Booleans = ["unicorn", "gazelle", "postdoc_workstation", "university_joint_lab", "incubator_tenant", "university_spinoff"];

    // ---- the form ----------------------------------------------------------------------------

    public ProfileCheck FromForm(ProfileForm form, bool requireIdentity)
    {
        var errors = new Dictionary<string, string>();
        var p = new JsonObject();
        void Text(string fact, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) p[fact] = value.Trim();
        }
        void Number(string fact, string? value, bool integer)
        {
            if (string.IsNullOrWhiteSpace(value)) return;
            var v = value.Trim().Replace(",", "").Replace("，", "");
            if (integer && long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) p[fact] = n;
            else if (!integer && decimal.TryParse(v, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)) p[fact] = d;
            else errors[fact] = integer ? T("请输入整数", "Enter a whole number") : T("请输入数字(元)", "Enter a number (yuan)");
        }
        void Date(string fact, string? value, JsonObject target, string key)
        {
            if (string.IsNullOrWhiteSpace(value)) return;
            var (d, problem) = Dates.Parse(value);
            if (d is { } date) target[key] = date.ToString("yyyy-MM-dd");
            else errors[fact] = Dates.Message(problem, value);
        }
        bool? Tri(string fact, string? value)
        {
            switch (value)
            {
                case null or "": return null;
                case "yes": return true;
                case "no": return false;
                default: errors[fact] = T("请选择 是 / 否 / 未填写", "Choose yes, no or not answered"); return null;
            }
        }

        Text("name", form.Name);
        Text("uscc", Uscc.Normalise(form.Uscc));
        Text("district", form.District);
        if (form.Zones.Count > 0) p["zones"] = new JsonArray(form.Zones.Where(z => z.Length > 0).Distinct().Select(z => (JsonNode?)z).ToArray());
        Text("industry_code", form.IndustryCode);
        if (form.FocusAreas.Count > 0) p["focus_areas"] = new JsonArray(form.FocusAreas.Where(z => z.Length > 0).Distinct().Select(z => (JsonNode?)z).ToArray());
        Date("established_on", form.EstablishedOn, p, "established_on");
        Number("employees", form.Employees, integer: true);
        Number("revenue_last_year", form.RevenueLastYear, integer: false);
        Number("rd_expense_last_year", form.RdExpenseLastYear, integer: false);
        Number("invention_patents", form.InventionPatents, integer: true);

        switch (Tri("hightech_certificate", form.Hightech))
        {
            case true:
                var cert = new JsonObject();
                if (!string.IsNullOrWhiteSpace(form.HightechNumber)) cert["number"] = form.HightechNumber.Trim();
                Date("hightech_certificate.issued_on", form.HightechIssuedOn, cert, "issued_on");
                Date("hightech_certificate.expires_on", form.HightechExpiresOn, cert, "expires_on");
                p["hightech_certificate"] = cert;
                break;
            case false:
                p["hightech_certificate"] = false;
                break;
        }
        switch (Tri("tech_sme_year", form.TechSme))
        {
            case true when string.IsNullOrWhiteSpace(form.TechSmeYear):
                errors["tech_sme_year"] = T("请填写入库年份", "Enter the year of registration");
                break;
            case true:
                Number("tech_sme_year", form.TechSmeYear, integer: true);
                break;
            case false:
                p["tech_sme_year"] = false;
                break;
        }
        Text("srdi_level", form.SrdiLevel);
        Text("listing_status", form.ListingStatus);
        foreach (var (fact, value) in new[]
        {
            ("unicorn", form.Unicorn), ("gazelle", form.Gazelle), ("postdoc_workstation", form.PostdocWorkstation),
            ("university_joint_lab", form.UniversityJointLab), ("incubator_tenant", form.IncubatorTenant),
            ("university_spinoff", form.UniversitySpinoff),
        })
        {
            if (Tri(fact, value) is { } b) p[fact] = b;
        }

        // Values that parsed are now checked as the JSON API checks them; parse errors come first.
        var check = Check(p, requireIdentity);
        foreach (var (key, message) in check.Errors)
        {
            errors.TryAdd(key, message);
        }
        return new ProfileCheck(check.Profile, errors);
    }

    /// <summary>The evaluation date typed in the form (default: today). Null with an error if malformed.</summary>
    public static DateOnly? ParseAsOf(string? value, DateOnly today, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(value)) return today;
        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        error = T("日期格式应为 YYYY-MM-DD", "Enter a date as YYYY-MM-DD");
        return null;
    }

    // ---- JSON (the API, and the form after parsing) ------------------------------------------

    /// <summary>Checks each fact's type and value. Returns a normalised copy (district codes become names).</summary>
    public ProfileCheck Check(JsonObject input, bool requireIdentity)
    {
        var errors = new Dictionary<string, string>();
        var p = new JsonObject();
        foreach (var (fact, node) in input)
        {
            if (!FactNames.Contains(fact))
            {
                errors[fact] = T($"未知的字段 “{fact}”", $"unknown fact '{fact}'");
                continue;
            }
            if (node is null)
            {
                continue; // null is unknown, as if absent
            }
            var error = CheckFact(fact, node, p);
            if (error is not null)
            {
                errors[error.Value.Key] = error.Value.Message;
            }
        }
        if (requireIdentity)
        {
            if (!p.ContainsKey("name") && !errors.ContainsKey("name")) errors["name"] = T("请填写企业名称", "Enter the company's name");
            if (!p.ContainsKey("uscc") && !errors.ContainsKey("uscc")) errors["uscc"] = T("请填写统一社会信用代码", "Enter the unified social credit code");
        }
        if (!p.ContainsKey("district") && !errors.ContainsKey("district"))
        {
            errors["district"] = T("请选择所在区", "Choose the district");
        }
        return new ProfileCheck(p, errors);
    }

    private (string Key, string Message)? CheckFact(string fact, JsonNode node, JsonObject p)
    {
        switch (fact)
        {
            case "name":
                if (AsString(node) is not { } name || name.Trim().Length == 0) return (fact, T("企业名称应为文本", "name must be text"));
                if (name.Length > 200) return (fact, T("企业名称过长(最多200字)", "name is too long (200 characters at most)"));
                p[fact] = name.Trim();
                return null;
            case "uscc":
                var code = Uscc.Normalise(AsString(node));
                switch (Uscc.Check(code))
                {
                    case Uscc.Problem.None: p[fact] = code; return null;
                    case Uscc.Problem.Length: return (fact, T("统一社会信用代码应为18位", "The unified social credit code has 18 characters"));
                    case Uscc.Problem.Character: return (fact, T("统一社会信用代码含有无效字符(不使用 I、O、S、V、Z)", "The code contains a character it cannot have (I, O, S, V and Z are not used)"));
                    default: return (fact, T("统一社会信用代码校验位不正确,请核对", "The code's check character does not match: please check it"));
                }
            case "district":
                var district = Reference.NormaliseDistrict(AsString(node));
                if (district is null) return (fact, T("所在区应为北京市16区之一(或天津市、河北省),可用名称或行政区划代码", "district must be one of Beijing's 16 districts (or 天津市 / 河北省), by name or GB/T 2260 code"));
                p[fact] = district;
                return null;
            case "zones":
            case "focus_areas":
                if (node is not JsonArray array || array.Any(x => AsString(x) is null)) return (fact, T("应为文本列表", "must be a list of strings"));
                var allowed = fact == "zones" ? Reference.Zones.Select(z => z.Name).ToHashSet() : Reference.FocusAreas.ToHashSet();
                var unknown = array.Select(x => AsString(x)!).FirstOrDefault(x => !allowed.Contains(x));
                if (unknown is not null) return (fact, T($"“{unknown}”不在可选范围内", $"'{unknown}' is not one of the choices"));
                p[fact] = new JsonArray(array.Select(x => (JsonNode?)AsString(x)).Distinct().ToArray());
                return null;
            case "industry_code":
                var industry = AsString(node)?.Trim();
                if (industry is null || !industries.Contains(industry)) return (fact, T("行业代码应为 GB/T 4754-2017 中的代码(如 2720 或 C)", "industry_code must be a GB/T 4754-2017 code (e.g. 2720 or C)"));
                p[fact] = industry;
                return null;
            case "established_on":
                if (AsDate(node) is not { } established) return (fact, DateError(node));
                if (established.Year < 1949) return (fact, T("成立日期不合理", "the date is implausible"));
                if (established > Today) return (fact, T($"成立日期不能晚于今天({Today:yyyy-MM-dd})", $"The date established cannot be after today ({Today:yyyy-MM-dd})"));
                p[fact] = established.ToString("yyyy-MM-dd");
                return null;
            case "employees":
            case "invention_patents":
                if (AsInteger(node) is not { } count) return (fact, T("应为整数", "must be a whole number"));
                if (count < 0) return (fact, T("不能为负数", "cannot be negative"));
                p[fact] = count;
                return null;
            case "revenue_last_year":
            case "rd_expense_last_year":
                if (AsDecimal(node) is not { } amount) return (fact, T("应为数字(元)", "must be a number (yuan)"));
                if (amount < 0) return (fact, T("不能为负数", "cannot be negative"));
                p[fact] = amount;
                return null;
            case "hightech_certificate":
                return CheckCertificate(node, p);
            case "tech_sme_year":
                if (node.GetValueKind() == JsonValueKind.False) { p[fact] = false; return null; }
                if (AsInteger(node) is not { } year || year < 2000 || year > 2100) return (fact, T("应为入库年份(如 2025),或 false 表示不是", "must be the year registered (e.g. 2025), or false for no"));
                p[fact] = year;
                return null;
            case "srdi_level":
                var level = AsString(node);
                if (level is null || Reference.SrdiLevels.All(l => l.Value != level)) return (fact, T("应为 none、innovative_sme、specialized_sme、little_giant 之一", "must be none, innovative_sme, specialized_sme or little_giant"));
                p[fact] = level;
                return null;
            case "listing_status":
                var listing = AsString(node);
                if (listing is null || Reference.ListingStatuses.All(l => l.Value != listing)) return (fact, T("应为 none、intends、listed 之一", "must be none, intends or listed"));
                p[fact] = listing;
                return null;
            default:
                if (Booleans.Contains(fact))
                {
                    if (node.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)) return (fact, T("应为 true 或 false", "must be true or false"));
                    p[fact] = node.GetValue<bool>();
                    return null;
                }
                return (fact, T("未知的字段", "unknown fact"));
        }
    }

    private static (string, string)? CheckCertificate(JsonNode node, JsonObject p)
    {
        const string fact = "hightech_certificate";
        if (node.GetValueKind() == JsonValueKind.False)
        {
            p[fact] = false;
            return null;
        }
        if (node is not JsonObject cert) return (fact, T("应为证书信息 {number, issued_on, expires_on},或 false 表示没有", "must be {number, issued_on, expires_on}, or false for none"));
        var result = new JsonObject();
        foreach (var (key, value) in cert)
        {
            if (value is null) continue;
            switch (key)
            {
                case "number":
                    if (AsString(value) is not { } number) return ($"{fact}.number", T("证书编号应为文本", "number must be text"));
                    result["number"] = number.Trim();
                    break;
                case "issued_on":
                case "expires_on":
                    if (AsDate(value) is not { } d) return ($"{fact}.{key}", DateError(value));
                    result[key] = d.ToString("yyyy-MM-dd");
                    break;
                default:
                    return ($"{fact}.{key}", T($"未知的字段 “{key}”", $"unknown field '{key}'"));
            }
        }
        if (result["issued_on"] is { } issued && result["expires_on"] is { } expires &&
            string.CompareOrdinal(issued.GetValue<string>(), expires.GetValue<string>()) >= 0)
        {
            return ($"{fact}.expires_on", T("有效期至应晚于发证日期", "expires_on must be after issued_on"));
        }
        p[fact] = result;
        return null;
    }

    private static string? AsString(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>JSON dates are YYYY-MM-DD exactly (the API's contract; the forms normalise what people type first).</summary>
    private static DateOnly? AsDate(JsonNode node) =>
        AsString(node) is { } s && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>Why a JSON date was refused: a date in the right shape that does not exist is called impossible.</summary>
    private static string DateError(JsonNode node) =>
        AsString(node) is { } s && Dates.Parse(s).Problem == Dates.DateProblem.Impossible
            ? Dates.Message(Dates.DateProblem.Impossible, s)
            : T("日期格式应为 YYYY-MM-DD", "must be a date YYYY-MM-DD");

    private static long? AsInteger(JsonNode node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<decimal>(out var d) && d == decimal.Truncate(d) && d is >= long.MinValue and <= long.MaxValue ? (long)d
        : node is JsonValue w && w.TryGetValue<long>(out var l) ? l : null;

    private static decimal? AsDecimal(JsonNode node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<decimal>(out var d) ? d : null;
}
