using System.Globalization;
using System.Net;
using System.Text;
using PolicyMatch.Web.Features.Account;
using PolicyMatch.Web.Features.Companies;
using PolicyMatch.Web.Features.Incubators;
using PolicyMatch.Web.Features.Profiles;
using PolicyMatch.Web.Tests.Incubators;
using PolicyMatch.Web.Tests.Infrastructure;
using static PolicyMatch.Web.Tests.Infrastructure.TestData;

namespace PolicyMatch.Web.Tests.Profiles;

/// <summary>
/// Issue 14 item 12: validation that says the right thing — future and impossible dates, the same date forms in
/// the forms as in the CSV import (one parser), codes pasted with spaces, and forms that show what is required.
/// </summary>
public class ValidationWordingTests
{
    private static readonly Industries Industries = Industries.Load(Path.Combine(Repo.Seeds, "reference", "gbt4754-2017-industries.tsv"));

    /// <summary>16:30 UTC on 5 December 2026 is already 00:30 on the 6th in Beijing: "today" is the 6th.</summary>
    private static readonly ProfileValidator Validator = new(Industries, new FixedUtcClock(new DateTimeOffset(2026, 12, 5, 16, 30, 0, TimeSpan.Zero)));

    private sealed class FixedUtcClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    public ValidationWordingTests() => CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");

    private static ProfileCheck Form(string? established = null, string? uscc = null) =>
        Validator.FromForm(new ProfileForm { Name = "北京测试科技有限公司", Uscc = uscc ?? NewUscc(), District = "海淀区", EstablishedOn = established }, requireIdentity: true);

    [Fact]
    public void A_founding_date_after_the_Beijing_business_date_is_refused_and_today_is_accepted()
    {
        Assert.True(Form("2026-12-06").IsValid, "the 6th is today in Beijing");
        var tomorrow = Form("2026-12-07");
        Assert.Contains("成立日期不能晚于今天(2026-12-06)", tomorrow.Errors["established_on"]);
        Assert.Contains("不能晚于今天", Form("2031-01-01").Errors["established_on"]);
    }

    [Theory]
    [InlineData("2021-13-01")]
    [InlineData("2031-02-30")]
    [InlineData("2023-02-29")]
    [InlineData("2021/4/31")]
    [InlineData("2021年0月5日")]
    public void An_impossible_date_is_called_impossible_not_a_format_error(string typed)
    {
        var error = Form(typed).Errors["established_on"];
        Assert.Contains("不存在的日期", error);
        Assert.DoesNotContain("格式", error);
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
        Assert.Contains("There is no such date", Form(typed).Errors["established_on"]);
    }

    [Theory]
    [InlineData("15/01/2026")]
    [InlineData("yesterday")]
    [InlineData("2026-01")]
    public void A_date_in_no_known_form_is_a_format_error(string typed)
    {
        Assert.Contains("日期格式应为 YYYY-MM-DD", Form(typed).Errors["established_on"]);
    }

    [Theory]
    [InlineData("2026/01/15", "2026-01-15")]
    [InlineData("2026-1-5", "2026-01-05")]
    [InlineData("2026/1/5", "2026-01-05")]
    [InlineData("2026.1.5", "2026-01-05")]
    [InlineData("2026年1月5日", "2026-01-05")]
    [InlineData(" 2024-02-29 ", "2024-02-29")]
    public void The_form_accepts_the_date_forms_the_CSV_import_accepts(string typed, string stored)
    {
        var check = Form(typed);
        Assert.True(check.IsValid, string.Join("; ", check.Errors));
        Assert.Equal(stored, (string?)check.Profile["established_on"]);

        // The same text in a CSV cell gives the same date: one parser for both.
        var uscc = NewUscc();
        var csv = new TenantCsv(Validator).Read(Encoding.UTF8.GetBytes($"name,uscc,district,established_on\r\n北京同日科技有限公司,{uscc},海淀区,{typed}\r\n"));
        Assert.True(csv.IsValid, string.Join("; ", csv.Problems.Select(p => p.Reason)));
        Assert.Equal(stored, (string?)csv.Tenants.Single().Profile["established_on"]);
    }

    [Fact]
    public void The_CSV_import_calls_an_impossible_or_future_date_what_it_is()
    {
        var csv = new TenantCsv(Validator).Read(Encoding.UTF8.GetBytes(
            $"name,uscc,district,established_on\r\n北京错日科技有限公司,{NewUscc()},海淀区,2031/2/30\r\n北京未来科技有限公司,{NewUscc()},海淀区,2027-01-01\r\n"));
        Assert.False(csv.IsValid);
        Assert.Contains(csv.Problems, p => p.Line == 2 && p.Reason.Contains("不存在的日期"));
        Assert.Contains(csv.Problems, p => p.Line == 3 && p.Reason.Contains("不能晚于今天"));
    }

    [Theory]
    [InlineData(" {0} ")]
    [InlineData("{0:0-4} {0:4-8} {0:8-12} {0:12-18}")]
    [InlineData("\u3000{0:0-9}\u3000{0:9-18}\u3000")]
    [InlineData("{0:0-6}\u00A0{0:6-18}")]
    [InlineData("{0:lower}")]
    [InlineData("{0:fullwidth}")]
    public void A_code_pasted_with_spaces_or_full_width_characters_is_normalised(string shape)
    {
        var uscc = NewUscc();
        var typed = Shape(shape, uscc);
        Assert.Equal(uscc, Uscc.Normalise(typed));
        var check = Form(uscc: typed);
        Assert.True(check.IsValid, string.Join("; ", check.Errors));
        Assert.Equal(uscc, (string?)check.Profile["uscc"]);

        var csv = new TenantCsv(Validator).Read(Encoding.UTF8.GetBytes($"name,uscc,district\r\n北京粘贴科技有限公司,\"{typed}\",海淀区\r\n"));
        Assert.True(csv.IsValid, string.Join("; ", csv.Problems.Select(p => p.Reason)));
        Assert.Equal(uscc, (string?)csv.Tenants.Single().Profile["uscc"]);
    }

    /// <summary>"{0:a-b}" is the code's characters a to b; lower and fullwidth rewrite the whole code.</summary>
    internal static string Shape(string shape, string uscc) =>
        System.Text.RegularExpressions.Regex.Replace(shape, @"\{0(?::([^}]*))?\}", m => m.Groups[1].Value switch
        {
            "" => uscc,
            "lower" => uscc.ToLowerInvariant(),
            "fullwidth" => new string(uscc.Select(c => (char)(c + 0xFEE0)).ToArray()),
            var range => uscc[int.Parse(range.Split('-')[0])..int.Parse(range.Split('-')[1])],
        });

    [Fact]
    public void The_error_summary_follows_the_form_order()
    {
        var check = Validator.FromForm(new ProfileForm { Employees = "四十五", EstablishedOn = "2021-13-01", Uscc = "123" }, requireIdentity: true);
        var order = new ProfileFormView(new ProfileForm(), check.Errors).ErrorsInFormOrder.Select(e => e.Key).ToList();
        Assert.Equal(["name", "uscc", "district", "established_on", "employees"], order);
    }
}

/// <summary>The same rules through the pages: forms mark what is required and keep the form's order in the summary.</summary>
public class ValidationPageTests(Portal portal) : IClassFixture<Portal>
{
    private static KeyValuePair<string, string> F(string k, string v) => new(k, v);

    [Theory]
    [InlineData("/companies/new", Roles.Company, new[] { "Name", "Uscc", "District" })]
    [InlineData("/incubator/tenants/new", Roles.Advisor, new[] { "Name", "Uscc", "District" })]
    [InlineData("/account/register", null, new[] { "Email", "DisplayName", "Password", "ConfirmPassword", "AcceptPrivacy" })]
    public async Task Every_required_field_is_marked_for_eyes_and_for_screen_readers(string url, string? role, string[] required)
    {
        Session s;
        if (role == Roles.Advisor)
        {
            s = (await portal.AdvisorAsync()).Session;
        }
        else
        {
            s = role is null ? portal.Anonymous() : await portal.SignInAsync(role);
        }
        using (s)
        {
            var page = await s.PageAsync(url);
            Assert.NotNull(page.QuerySelector(".required-note abbr.required"));
            foreach (var name in required)
            {
                var input = page.QuerySelector($"[name={name}]")!;
                Assert.True(input.HasAttribute("required"), $"{url}: {name} has no required attribute");
                Assert.Equal("true", input.GetAttribute("aria-required"));
                var label = page.QuerySelector($"label[for='{input.Id}']") ?? input.Closest("label")!;
                Assert.NotNull(label.QuerySelector("abbr.required"));
            }
            // Optional fields carry no marker.
            if (url != "/account/register")
            {
                Assert.False(page.QuerySelector("[name=Employees]")!.HasAttribute("aria-required"));
            }
        }
    }

    [Fact]
    public async Task The_quick_check_does_not_ask_for_a_name_or_code()
    {
        var page = await portal.PageAsync("/");
        if (page.QuerySelector("[name=Name]") is { } name)
        {
            Assert.False(name.HasAttribute("required"));
        }
    }

    [Fact]
    public async Task The_company_form_summary_lists_errors_top_to_bottom_and_names_an_impossible_date()
    {
        using var s = await portal.SignInAsync(Roles.Company);
        var response = await s.PostFormAsync("/companies/new", "/companies/new",
            [F("Name", ""), F("Uscc", "123"), F("District", "海淀区"), F("EstablishedOn", "2031-02-30"), F("Employees", "四十五")]);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var page = await Html.ParseAsync(await response.Content.ReadAsStringAsync());
        var links = page.QuerySelectorAll(".error-summary li a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["#f-name", "#f-uscc", "#f-established_on", "#f-employees"], links);
        Assert.Contains("不存在的日期", page.QuerySelector("#err-established_on")!.TextContent);
    }

    [Fact]
    public async Task The_registration_summary_lists_errors_top_to_bottom()
    {
        using var s = portal.Anonymous();
        var response = await s.PostFormAsync("/account/register", "/account/register",
            [F("Kind", Roles.Advisor), F("Email", "not-an-email"), F("DisplayName", "顾问"), F("IncubatorName", ""), F("Password", "short"), F("ConfirmPassword", "short")]);
        var page = await Html.ParseAsync(await response.Content.ReadAsStringAsync());
        var links = page.QuerySelectorAll(".error-summary li a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["#f-Email", "#f-IncubatorName", "#f-Password", "#f-AcceptPrivacy"], links);
    }

    [Fact]
    public async Task A_code_pasted_with_spaces_is_trimmed_in_the_company_form_join_and_claim()
    {
        using var owner = await portal.SignInAsync(Roles.Company);
        var uscc = NewUscc();
        var spaced = "\u3000" + uscc[..9] + " " + uscc[9..] + " ";
        var created = await owner.PostFormAsync("/companies/new", "/companies/new", [F("Name", "北京空格科技有限公司"), F("Uscc", spaced), F("District", "海淀区")]);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.NotNull(await portal.Service<CompanyRepository>().FindByUsccAsync(uscc));

        using var other = await portal.SignInAsync(Roles.Company);
        var join = await other.PostFormAsync("/companies", "/companies/join", [F("uscc", uscc[..6] + " " + uscc[6..].ToLowerInvariant())]);
        Assert.Equal(HttpStatusCode.Redirect, join.StatusCode);
        var pending = await portal.Service<CompanyRepository>().PendingRequestsAsync((await portal.Service<CompanyRepository>().FindByUsccAsync(uscc))!.Id);
        Assert.Contains(pending, r => r.UserId == other.UserId);

        // The same code again in the form, spaced differently, is the same company.
        var again = await other.PostFormAsync("/companies/new", "/companies/new", [F("Name", "北京空格科技有限公司"), F("Uscc", uscc[..4] + "\u3000" + uscc[4..]), F("District", "海淀区")]);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }
}
