using System.Text;
using Microsoft.Playwright;
using PolicyMatch.Web.Features.Profiles;

namespace PolicyMatch.Browser.Tests;

/// <summary>An incubator advisor's first session, in a real browser.</summary>
public class IncubatorFlowTests(BrowserPortal portal) : IClassFixture<BrowserPortal>
{
    private static string NewUscc()
    {
        var first17 = "91110114MA" + Random.Shared.Next(1_000_000, 9_999_999).ToString("D7");
        return first17 + Uscc.CheckCharacterFor(first17);
    }

    /// <summary>A CSV as a person would save it: UTF-8 with a BOM, CRLF.</summary>
    private static string WriteCsv(string directory, string name, params string[] lines)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, string.Join("\r\n", lines) + "\r\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        return path;
    }

    [Fact]
    public async Task An_advisor_imports_a_CSV_with_one_bad_row_fixes_it_imports_and_sees_the_matrix()
    {
        var directory = Directory.CreateTempSubdirectory("policymatch-import-").FullName;
        try
        {
            var page = await portal.Browser.NewPageAsync(new BrowserNewPageOptions { Locale = "zh-CN" });

            // Register as an incubator's advisor.
            await page.GotoAsync(portal.BaseUrl + "/account/register");
            await page.GetByLabel("孵化器/众创空间顾问").CheckAsync();
            await page.GetByLabel("邮箱").FillAsync($"advisor-{Guid.NewGuid():N}@example.com");
            await page.GetByLabel("姓名").FillAsync("王顾问"); // the label also holds the required marker (*)
            await page.GetByLabel("孵化器名称(顾问填写)").FillAsync("未来科学城创新孵化器");
            await page.GetByLabel("密码(至少10个字符)").FillAsync("correct horse battery");
            await page.GetByLabel("确认密码").FillAsync("correct horse battery");
            await page.Locator("#f-AcceptPrivacy").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "注册" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "未来科学城创新孵化器" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByText("还没有在孵企业。")).ToBeVisibleAsync();
            // An administrator has checked the incubator's evidence (the same repository method the review queue uses).
            await portal.VerifyIncubatorAsync("未来科学城创新孵化器");

            // A file with a bad row (line 3: employees in words).
            var spinoff = NewUscc();
            var other = NewUscc();
            var bad = WriteCsv(directory, "在孵企业.csv",
                "name,uscc,district,employees,university_spinoff",
                $"北京昌平衍生生物科技有限公司,{spinoff},昌平区,45,是",
                $"北京未来智能装备有限公司,{other},昌平区,四十五,");
            await page.GetByRole(AriaRole.Link, new() { Name = "批量导入(CSV)" }).ClickAsync();
            await page.GetByLabel("CSV 文件").SetInputFilesAsync(bad);
            // A marker on the page: it survives only if the script uploads in the background
            // (with progress) instead of the form posting and loading a new page.
            await page.EvaluateAsync("() => { window.importMarker = 42; }");
            await page.GetByRole(AriaRole.Button, new() { Name = "校验并导入" }).ClickAsync();

            var problems = page.Locator("#import-result table.problems tbody tr");
            await Assertions.Expect(page.Locator("#import-result")).ToContainTextAsync("没有导入任何企业");
            await Assertions.Expect(problems).ToHaveCountAsync(1);
            await Assertions.Expect(problems.First.Locator("td").First).ToHaveTextAsync("3");
            await Assertions.Expect(problems.First).ToContainTextAsync("employees");
            await Assertions.Expect(problems.First).ToContainTextAsync("四十五");
            Assert.Equal(42, await page.EvaluateAsync<int>("() => window.importMarker"));
            await Assertions.Expect(page.Locator("#import-progress")).ToBeHiddenAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "policymatch-import-problems.png"), FullPage = true });

            // Fixed, and imported.
            var fixedFile = WriteCsv(directory, "在孵企业-已修改.csv",
                "name,uscc,district,employees,university_spinoff",
                $"北京昌平衍生生物科技有限公司,{spinoff},昌平区,45,是",
                $"北京未来智能装备有限公司,{other},昌平区,45,");
            await page.GetByLabel("CSV 文件").SetInputFilesAsync(fixedFile);
            await page.GetByRole(AriaRole.Button, new() { Name = "校验并导入" }).ClickAsync();

            await Assertions.Expect(page.Locator(".flash")).ToContainTextAsync("已导入 2 家企业");
            await Assertions.Expect(page.Locator("table.tenants tbody tr")).ToHaveCountAsync(2);
            await Assertions.Expect(page.Locator("table.tenants")).ToContainTextAsync("北京昌平衍生生物科技有限公司");
            await Assertions.Expect(page.Locator("table.tenants")).ToContainTextAsync(spinoff);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "policymatch-tenants.png"), FullPage = true });

            // The matrix: both tenants as rows, the spin-off eligible for the 昌平 transfer award.
            await page.GetByRole(AriaRole.Link, new() { Name = "匹配矩阵" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "匹配矩阵" })).ToBeVisibleAsync();
            var rows = page.Locator("table.matrix tbody tr");
            await Assertions.Expect(rows).ToHaveCountAsync(2);
            var spinoffRow = rows.Filter(new() { HasText = "北京昌平衍生生物科技有限公司" });
            await Assertions.Expect(spinoffRow.Locator("td[data-measure='cp-tech-transfer-award']")).ToHaveTextAsync("✓");
            await Assertions.Expect(rows.Filter(new() { HasText = "北京未来智能装备有限公司" }).Locator("td[data-measure='cp-tech-transfer-award']")).ToHaveTextAsync("?");
            await Assertions.Expect(page.Locator(".legend")).ToContainTextAsync("差一项");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "policymatch-matrix.png"), FullPage = false });

            // And the spin-off's printable report.
            await spinoffRow.GetByRole(AriaRole.Link).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "北京昌平衍生生物科技有限公司" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("section#eligible div.match[data-measure='cp-tech-transfer-award'] li.criterion.met")).ToHaveCountAsync(2);
            await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
            await Assertions.Expect(page.Locator(".site-header")).ToBeHiddenAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "policymatch-report-print.png"), FullPage = true });
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
