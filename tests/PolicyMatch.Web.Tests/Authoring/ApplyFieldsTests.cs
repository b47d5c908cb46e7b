using System.Net;
using PolicyMatch.Web.Features.Authoring;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Authoring;

/// <summary>Issue 11: administrators edit who a measure benefits and how to apply; bad input gets a message at its field.</summary>
public class ApplyFieldsTests(Portal portal) : IClassFixture<Portal>
{
    public static TheoryData<string, (string Name, string Value)[], string, string> InvalidInputs() => new()
    {
        { "no beneficiary chosen", [("m.Apply.Beneficiary", "")], "m.Apply.Beneficiary", "请选择受益对象" },
        { "an unknown beneficiary", [("m.Apply.Beneficiary", "everyone")], "m.Apply.Beneficiary", "请选择受益对象" },
        { "an unknown channel", [("m.Apply.Channel", "carrier-pigeon")], "m.Apply.Channel", "请选择申请渠道" },
        { "a channel detail too long", [("m.Apply.ChannelDetail", new string('系', 201))], "m.Apply.ChannelDetail", "渠道说明过长(最多 200 字)" },
        { "a contact too long", [("m.Apply.Contact", new string('电', 201))], "m.Apply.Contact", "联系方式过长(最多 200 字)" },
        { "a document line too long", [("m.Apply.Documents", "申请表\n" + new string('材', 201))], "m.Apply.Documents", "申请材料第 2 行过长" },
        { "a link without its separator", [("m.Apply.Links", "申报通知 https://example.org/n")], "m.Apply.Links", "第 1 行应写成“通知标题 | https://…”" },
        { "a link that is not a web address", [("m.Apply.Links", "申报通知 | https://example.org/ok\n坏链接 | javascript:alert(1)")], "m.Apply.Links", "第 2 行的网址应以 http:// 或 https:// 开头" },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public async Task Invalid_how_to_apply_input_gets_a_Chinese_message_at_its_field_keeps_what_was_typed_and_saves_nothing(
        string scenario, (string Name, string Value)[] changes, string field, string message)
    {
        using var admin = await portal.AdminAsync();
        var id = AdminForms.Slug("hd-apply");
        var fields = (await AdminForms.NewMeasureAsync(portal, id, "申请方式输入测试")).With(("m.Apply.Beneficiary", "company")).With(changes);
        var response = await admin.SaveAsync("/admin/measures/new", "/admin/measures/new", fields);
        var page = await AdminForms.ParseAsync(response, HttpStatusCode.UnprocessableEntity);

        var error = page.QuerySelector($"#err-{FormErrors.IdOf(field)[2..]}");
        Assert.True(error is not null, $"{scenario}: no message at {field}; summary: {page.QuerySelector(".error-summary")?.TextContent}");
        Assert.Contains(message, error!.TextContent);
        Assert.StartsWith("$.", error.GetAttribute("data-path"));
        Assert.DoesNotContain("$.", error.TextContent); // the path is for machines; people read the field's name
        foreach (var (name, value) in changes)
        {
            var input = page.QuerySelector($"[name='{name}']")!;
            var shown = input.LocalName switch
            {
                "textarea" => input.TextContent,
                "select" => input.QuerySelector("option[selected]")?.GetAttribute("value") ?? "",
                _ => input.GetAttribute("value") ?? "",
            };
            Assert.Equal(value, shown.TrimStart('\n'));
        }
        Assert.Null(await portal.Service<CatalogRepository>().GetMeasureStateAsync(id));
    }

    [Fact]
    public async Task An_administrator_records_who_benefits_and_how_to_apply_and_the_draft_keeps_them()
    {
        using var admin = await portal.AdminAsync();
        const string id = "tz-listing-cultivation-pool";
        var action = $"/admin/measures/{id}/edit";
        var page = await admin.PageAsync(action);
        Assert.Equal("company", page.QuerySelector("select[name='m.Apply.Beneficiary'] option[selected]")!.GetAttribute("value"));
        var fields = AdminForms.FieldsOf(page, action).With(
            ("m.Apply.Beneficiary", "government"), ("m.Apply.Channel", "notice"), ("m.Apply.ChannelDetail", "区科委发布的申报通知"),
            ("m.Apply.Documents", "申请表\n\n营业执照复印件\n"), ("m.Apply.Links", "示例通知 | https://example.org/notice"));
        var response = await admin.SaveAsync(action, action, fields);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var catalog = portal.Service<CatalogRepository>();
        var state = (await catalog.GetMeasureStateAsync(id))!;
        var draft = (await catalog.GetMeasureAsync(id, (int)state.CurrentVersion))!;
        Assert.Equal("government", draft.Beneficiary);
        var apply = draft.Apply()!;
        Assert.Equal("notice", apply.Channel);
        Assert.Equal(["申请表", "营业执照复印件"], apply.Documents);
        Assert.Equal("https://example.org/notice", Assert.Single(apply.Links!).Url);

        // The form shows them again as saved.
        var again = await admin.PageAsync(action);
        Assert.Equal("government", again.QuerySelector("select[name='m.Apply.Beneficiary'] option[selected]")!.GetAttribute("value"));
        Assert.Equal("示例通知 | https://example.org/notice", again.QuerySelector("textarea[name='m.Apply.Links']")!.TextContent.Trim());
    }
}
