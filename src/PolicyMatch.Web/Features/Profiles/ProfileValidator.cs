using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PolicyMatch.Rules;
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

    /// <summary>The public facts of PRODUCT.md §1 (the vocabulary's order: the order the form and reports show them).</summary>
    public static readonly IReadOnlyList<string> PublicFacts = [.. Facts.Public.Select(f => f.Name)];

    public static readonly IReadOnlySet<string> FactNames = PublicFacts.ToHashSet();

    // ---- the form ----------------------------------------------------------------------------

    public ProfileCheck FromForm(ProfileForm form, bool requireIdentity)
    {
        var read = new FormReader();
        ReadCompany(form, read);
        ReadCertificate(form, read);
        ReadTechSme(form, read);
        ReadQualifications(form, read);

        // Values that parsed are now checked as the JSON API checks them; parse errors come first.
        var check = Check(read.Profile, requireIdentity);
        foreach (var (key, message) in check.Errors)
        {
            read.Errors.TryAdd(key, message);
        }
        return new ProfileCheck(check.Profile, read.Errors);
    }

    /// <summary>The company, its size and R&amp;D: text, lists, the founding date and the numbers.</summary>
    private static void ReadCompany(ProfileForm form, FormReader read)
    {
        read.Text(Facts.Name, form.Name);
        read.Text(Facts.Uscc, Uscc.Normalise(form.Uscc));
        read.Text(Facts.District, form.District);
        read.List(Facts.Zones, form.Zones);
        read.Text(Facts.IndustryCode, form.IndustryCode);
        read.List(Facts.FocusAreas, form.FocusAreas);
        read.Date(Facts.EstablishedOn, form.EstablishedOn, read.Profile, Facts.EstablishedOn);
        read.Number(Facts.Employees, form.Employees, integer: true);
        read.Number(Facts.RevenueLastYear, form.RevenueLastYear, integer: false);
        read.Number(Facts.RdExpenseLastYear, form.RdExpenseLastYear, integer: false);
        read.Number(Facts.InventionPatents, form.InventionPatents, integer: true);
    }

    /// <summary>Yes with the certificate's details (each part checked where it is typed), or no.</summary>
    private static void ReadCertificate(ProfileForm form, FormReader read)
    {
        const string fact = Facts.HightechCertificate;
        switch (read.Tri(fact, form.Hightech))
        {
            case true:
                var cert = new JsonObject();
                if (!string.IsNullOrWhiteSpace(form.HightechNumber)) cert["number"] = form.HightechNumber.Trim();
                read.Date($"{fact}.issued_on", form.HightechIssuedOn, cert, "issued_on");
                read.Date($"{fact}.expires_on", form.HightechExpiresOn, cert, "expires_on");
                read.Profile[fact] = cert;
                break;
            case false:
                read.Profile[fact] = false;
                break;
        }
    }

    /// <summary>Registered in a year (which must then be given), or not registered.</summary>
    private static void ReadTechSme(ProfileForm form, FormReader read)
    {
        const string fact = Facts.TechSmeYear;
        switch (read.Tri(fact, form.TechSme))
        {
            case true when string.IsNullOrWhiteSpace(form.TechSmeYear):
                read.Errors[fact] = T("请填写入库年份", "Enter the year of registration");
                break;
            case true:
                read.Number(fact, form.TechSmeYear, integer: true);
                break;
            case false:
                read.Profile[fact] = false;
                break;
        }
    }

    /// <summary>The levels (codes, checked afterwards) and the yes/no qualifications.</summary>
    private static void ReadQualifications(ProfileForm form, FormReader read)
    {
        read.Text(Facts.SrdiLevel, form.SrdiLevel);
        read.Text(Facts.ListingStatus, form.ListingStatus);
        foreach (var (fact, value) in new[]
        {
            (Facts.Unicorn, form.Unicorn), (Facts.Gazelle, form.Gazelle), (Facts.PostdocWorkstation, form.PostdocWorkstation),
            (Facts.UniversityJointLab, form.UniversityJointLab), (Facts.IncubatorTenant, form.IncubatorTenant),
            (Facts.UniversitySpinoff, form.UniversitySpinoff),
        })
        {
            if (read.Tri(fact, value) is { } b) read.Profile[fact] = b;
        }
    }

    /// <summary>
    /// What the form's fields parse to, and the fields that do not parse, with the message to show by them.
    /// Blank fields are left out: unknown.
    /// </summary>
    private sealed class FormReader
    {
        public JsonObject Profile { get; } = new();

        public Dictionary<string, string> Errors { get; } = new();

        public void Text(string fact, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) Profile[fact] = value.Trim();
        }

        public void List(string fact, List<string> values)
        {
            if (values.Count > 0) Profile[fact] = new JsonArray(values.Where(v => v.Length > 0).Distinct().Select(v => (JsonNode?)v).ToArray());
        }

        /// <summary>A number as people type it: thousands separators (half- or full-width) are dropped.</summary>
        public void Number(string fact, string? value, bool integer)
        {
            if (string.IsNullOrWhiteSpace(value)) return;
            var v = value.Trim().Replace(",", "").Replace("，", "");
            if (integer && long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) Profile[fact] = n;
            else if (!integer && decimal.TryParse(v, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)) Profile[fact] = d;
            else Errors[fact] = integer ? T("请输入整数", "Enter a whole number") : T("请输入数字(元)", "Enter a number (yuan)");
        }

        /// <summary>A date in any of the forms <see cref="Dates"/> reads, stored as YYYY-MM-DD under <paramref name="key"/> of <paramref name="target"/>.</summary>
        public void Date(string fact, string? value, JsonObject target, string key)
        {
            if (string.IsNullOrWhiteSpace(value)) return;
            var (d, problem) = Dates.Parse(value);
            if (d is { } date) target[key] = date.ToString("yyyy-MM-dd");
            else Errors[fact] = Dates.Message(problem, value);
        }

        /// <summary>A tri-state answer: "" unknown, "yes", "no"; anything else is an error.</summary>
        public bool? Tri(string fact, string? value)
        {
            switch (value)
            {
                case null or "": return null;
                case "yes": return true;
                case "no": return false;
                default: Errors[fact] = T("请选择 是 / 否 / 未填写", "Choose yes, no or not answered"); return null;
            }
        }
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

    /// <summary>One fact: the facts with rules of their own by name, the others by their type in the vocabulary.</summary>
    private (string Key, string Message)? CheckFact(string fact, JsonNode node, JsonObject p) => fact switch
    {
        Facts.Name => CheckName(node, p),
        Facts.Uscc => CheckUscc(node, p),
        Facts.District => CheckDistrict(node, p),
        Facts.IndustryCode => CheckIndustry(node, p),
        Facts.EstablishedOn => CheckEstablished(node, p),
        Facts.HightechCertificate => CheckCertificate(node, p),
        Facts.TechSmeYear => CheckTechSmeYear(node, p),
        _ => Facts.Find(fact)?.Type switch
        {
            FactType.StringArray => CheckChoices(fact, node, p),
            FactType.Integer => CheckCount(fact, node, p),
            FactType.Number => CheckAmount(fact, node, p),
            FactType.Enum => CheckCode(fact, node, p),
            FactType.Boolean => CheckBoolean(fact, node, p),
            _ => (fact, T("未知的字段", "unknown fact")),
        },
    };

    private static (string, string)? CheckName(JsonNode node, JsonObject p)
    {
        const string fact = Facts.Name;
        if (AsString(node) is not { } name || name.Trim().Length == 0) return (fact, T("企业名称应为文本", "name must be text"));
        if (name.Length > 200) return (fact, T("企业名称过长(最多200字)", "name is too long (200 characters at most)"));
        p[fact] = name.Trim();
        return null;
    }

    private static (string, string)? CheckUscc(JsonNode node, JsonObject p)
    {
        const string fact = Facts.Uscc;
        var code = Uscc.Normalise(AsString(node));
        switch (Uscc.Check(code))
        {
            case Uscc.Problem.None: p[fact] = code; return null;
            case Uscc.Problem.Length: return (fact, T("统一社会信用代码应为18位", "The unified social credit code has 18 characters"));
            case Uscc.Problem.Character: return (fact, T("统一社会信用代码含有无效字符(不使用 I、O、S、V、Z)", "The code contains a character it cannot have (I, O, S, V and Z are not used)"));
            default: return (fact, T("统一社会信用代码校验位不正确,请核对", "The code's check character does not match: please check it"));
        }
    }

    /// <summary>A district by name or GB/T 2260 code, stored by name.</summary>
    private static (string, string)? CheckDistrict(JsonNode node, JsonObject p)
    {
        const string fact = Facts.District;
        var district = Facts.NormaliseDistrict(AsString(node));
        if (district is null) return (fact, T("所在区应为北京市16区之一(或天津市、河北省),可用名称或行政区划代码", "district must be one of Beijing's 16 districts (or 天津市 / 河北省), by name or GB/T 2260 code"));
        p[fact] = district;
        return null;
    }

    private (string, string)? CheckIndustry(JsonNode node, JsonObject p)
    {
        const string fact = Facts.IndustryCode;
        var industry = AsString(node)?.Trim();
        if (industry is null || !industries.Contains(industry)) return (fact, T("行业代码应为 GB/T 4754-2017 中的代码(如 2720 或 C)", "industry_code must be a GB/T 4754-2017 code (e.g. 2720 or C)"));
        p[fact] = industry;
        return null;
    }

    private (string, string)? CheckEstablished(JsonNode node, JsonObject p)
    {
        const string fact = Facts.EstablishedOn;
        if (AsDate(node) is not { } established) return (fact, DateError(node));
        if (established.Year < 1949) return (fact, T("成立日期不合理", "the date is implausible"));
        if (established > Today) return (fact, T($"成立日期不能晚于今天({Today:yyyy-MM-dd})", $"The date established cannot be after today ({Today:yyyy-MM-dd})"));
        p[fact] = established.ToString("yyyy-MM-dd");
        return null;
    }

    private static (string, string)? CheckTechSmeYear(JsonNode node, JsonObject p)
    {
        const string fact = Facts.TechSmeYear;
        if (node.GetValueKind() == JsonValueKind.False) { p[fact] = false; return null; }
        if (AsInteger(node) is not { } year || year < 2000 || year > 2100) return (fact, T("应为入库年份(如 2025),或 false 表示不是", "must be the year registered (e.g. 2025), or false for no"));
        p[fact] = year;
        return null;
    }

    /// <summary>A list whose every item is one of the fact's values in the vocabulary (zones, focus areas); repeats dropped.</summary>
    private static (string, string)? CheckChoices(string fact, JsonNode node, JsonObject p)
    {
        if (node is not JsonArray array || array.Any(x => AsString(x) is null)) return (fact, T("应为文本列表", "must be a list of strings"));
        var allowed = Facts.Find(fact)!.AllowedValues;
        var unknown = array.Select(x => AsString(x)!).FirstOrDefault(x => !allowed.Contains(x));
        if (unknown is not null) return (fact, T($"“{unknown}”不在可选范围内", $"'{unknown}' is not one of the choices"));
        // Distinct on the strings: JsonNodes compare by reference, so repeats would survive.
        p[fact] = new JsonArray(array.Select(x => AsString(x)!).Distinct().Select(x => (JsonNode?)x).ToArray());
        return null;
    }

    private static (string, string)? CheckCount(string fact, JsonNode node, JsonObject p)
    {
        if (AsInteger(node) is not { } count) return (fact, T("应为整数", "must be a whole number"));
        if (count < 0) return (fact, T("不能为负数", "cannot be negative"));
        p[fact] = count;
        return null;
    }

    private static (string, string)? CheckAmount(string fact, JsonNode node, JsonObject p)
    {
        if (AsDecimal(node) is not { } amount) return (fact, T("应为数字(元)", "must be a number (yuan)"));
        if (amount < 0) return (fact, T("不能为负数", "cannot be negative"));
        p[fact] = amount;
        return null;
    }

    /// <summary>One of the fact's codes in the vocabulary (srdi_level, listing_status); the message lists them.</summary>
    private static (string, string)? CheckCode(string fact, JsonNode node, JsonObject p)
    {
        var codes = Facts.Find(fact)!.AllowedValues;
        var code = AsString(node);
        if (code is null || !codes.Contains(code))
        {
            return (fact, T($"应为 {string.Join("、", codes)} 之一", $"must be {string.Join(", ", codes.SkipLast(1))} or {codes[^1]}"));
        }
        p[fact] = code;
        return null;
    }

    private static (string, string)? CheckBoolean(string fact, JsonNode node, JsonObject p)
    {
        if (node.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False)) return (fact, T("应为 true 或 false", "must be true or false"));
        p[fact] = node.GetValue<bool>();
        return null;
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
