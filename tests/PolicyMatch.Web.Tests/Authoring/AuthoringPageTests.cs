using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dapper;
using PolicyMatch.Web.Features.Admin;
using PolicyMatch.Web.Features.Authoring;
using PolicyMatch.Web.Features.Catalog;
using PolicyMatch.Web.Infrastructure.Data;
using PolicyMatch.Web.Tests.Infrastructure;

namespace PolicyMatch.Web.Tests.Authoring;

/// <summary>An administrator drafts, checks, publishes and retires measures through the pages.</summary>
public class AuthoringPageTests(Portal portal) : IClassFixture<Portal>
{
    private sealed record EditPage(AngleSharp.Html.Dom.IHtmlDocument Page, List<KeyValuePair<string, string>> Fields);

    private CatalogRepository Catalog => portal.Service<CatalogRepository>();

    private async Task<JsonNode> MatchAsync(string profile, string asOf = "2025-06-01")
    {
        using var client = portal.CreateClient();
        var response = await client.PostAsync("/api/match", new StringContent($$"""{ "profile": {{profile}}, "as_of": "{{asOf}}" }""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static JsonNode? ResultFor(JsonNode match, string measure) =>
        match["results"]!.AsArray().FirstOrDefault(r => (string?)r!["measure_id"] == measure);

    [Fact]
    public async Task An_admin_drafts_a_measure_with_the_builder_and_the_public_catalog_is_unchanged_until_publishing()
    {
        using var admin = await portal.AdminAsync("王芳");
        var id = AdminForms.Slug("hd-draft");
        var response = await admin.SaveAsync("/admin/measures/new", "/admin/measures/new", await AdminForms.NewMeasureAsync(portal, id, "测试草稿措施"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/admin/measures/{id}/edit?saved=1", response.Headers.Location!.OriginalString);
        var state = (await Catalog.GetMeasureStateAsync(id))!;
        Assert.Equal(("draft", 1L, (long?)null), (state.Status, state.CurrentVersion, state.PublishedVersion));
        var stored = (await Catalog.GetMeasureAsync(id, 1))!;
        var criterion = stored.ToDocument().Criteria.Single();
        Assert.Equal("""{"and":[{"==":[{"var":"district"},"海淀区"]},{">=":[{"var":"employees"},50]}]}""", AuthoringJson.Compact(criterion.Rule));
        Assert.Equal(["区科委", "区财政局"], stored.Departments);
        Assert.Equal(admin.Email, (await Catalog.GetVersionsAsync(id)).Single().CreatedBy);

        // Not public: the API, the catalog page and matching do not know it.
        using var anonymous = portal.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/measures/{id}")).StatusCode);
        Assert.DoesNotContain("测试草稿措施", (await portal.PageAsync("/measures")).Body!.TextContent);
        Assert.Null(ResultFor(await MatchAsync("""{ "district": "海淀区", "employees": 80 }"""), id));

        // The editor shows it again in the builder, with the saved flash.
        var page = await admin.PageAsync($"/admin/measures/{id}/edit?saved=1");
        Assert.Contains("第 1 版", page.QuerySelector(".flash")!.TextContent);
        Assert.Equal("district", page.QuerySelector("select[name='m.Criteria[0].Builder.Items[0].Fact'] option[selected]")!.GetAttribute("value"));
        Assert.Equal("50", page.QuerySelector("input[name='m.Criteria[0].Builder.Items[1].Value']")!.GetAttribute("value"));
        Assert.Contains("所在区 等于 海淀区 且 从业人数 大于等于 50", page.QuerySelector(".sentence")!.TextContent);

        // The audit log says who did it.
        var audit = await admin.PageAsync($"/admin/audit?entity=measure&id={id}");
        var row = audit.QuerySelector("table.audit tbody tr")!;
        Assert.Contains("王芳", row.TextContent);
        Assert.Contains("新建措施", row.TextContent);
        Assert.Contains("第 1 版", row.TextContent);
        var entry = (await portal.Service<AuditLog>().ListAsync("measure", id)).Single();
        Assert.Equal((admin.UserId, "measure.created"), (entry.UserId!.Value, entry.Action));
    }

    [Fact]
    public async Task Saving_any_seeded_measure_unchanged_creates_no_new_version()
    {
        // The form shows every seeded measure (builder or JSON) and posts it back exactly as stored.
        using var admin = await portal.AdminAsync();
        foreach (var id in await Catalog.GetAllMeasureIdsAsync())
        {
            var action = $"/admin/measures/{id}/edit";
            var before = (await Catalog.GetMeasureStateAsync(id))!;
            var page = await admin.PageAsync(action);
            var response = await admin.SaveAsync(action, action, AdminForms.FieldsOf(page, action));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.EndsWith("?unchanged=true", response.Headers.Location!.OriginalString);
            Assert.Equal(before.CurrentVersion, (await Catalog.GetMeasureStateAsync(id))!.CurrentVersion);
        }
    }

    [Fact]
    public async Task The_substring_rule_is_shown_as_JSON_with_the_reason()
    {
        using var admin = await portal.AdminAsync();
        var page = await admin.PageAsync("/admin/measures/jjj-traditional-industry-upgrading/edit");
        var raw = page.QuerySelector("textarea[name='m.Criteria[1].Raw']")!;
        Assert.Contains("substr", raw.TextContent);
        Assert.Contains("无法用表单显示", page.QuerySelector("#criterion-1")!.TextContent);
        Assert.NotNull(page.QuerySelector("select[name='m.Criteria[0].Builder.Items[0].Fact']"));
    }

    [Fact]
    public async Task Editing_a_published_measure_keeps_the_public_version_until_it_is_published_then_the_api_and_matching_use_it()
    {
        using var admin = await portal.AdminAsync();
        const string id = "hd-embryo-enterprise-program";
        var action = $"/admin/measures/{id}/edit";
        var before = (await Catalog.GetMeasureStateAsync(id))!;
        // A 海淀 company registered as a tech SME this year, with no SRDI level stated.
        const string profile = """{ "district": "海淀区", "tech_sme_year": 2025 }""";
        Assert.Equal("eligible", (string?)ResultFor(await MatchAsync(profile), id)!["outcome"]);

        var page = await admin.PageAsync(action);
        var fields = AdminForms.FieldsOf(page, action).With(
            ("m.Title", "海淀胚芽企业培育计划(修订)"),
            ("m.Criteria[1].LabelZh", "专精特新梯度在创新型中小企业及以上"),
            ("m.Criteria[1].LabelEn", "At least an innovative SME"),
            ("m.Criteria[1].Builder.Items[0].Fact", "srdi_rank"),
            ("m.Criteria[1].Builder.Items[0].Operator", ">="),
            ("m.Criteria[1].Builder.Items[0].Value", "1"));
        var saved = await admin.SaveAsync(action, action, fields);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var draftVersion = before.CurrentVersion + 1;
        Assert.Equal($"{action}?saved={draftVersion}", saved.Headers.Location!.OriginalString);

        // Still the old version in public.
        using var client = portal.CreateClient();
        var published = JsonNode.Parse(await client.GetStringAsync($"/api/measures/{id}"))!;
        Assert.Equal(before.CurrentVersion, (long)published["version"]!);
        Assert.NotEqual("海淀胚芽企业培育计划(修订)", (string?)published["title"]);
        Assert.Equal("eligible", (string?)ResultFor(await MatchAsync(profile), id)!["outcome"]);

        // Preview, then publish what was previewed.
        var preview = await admin.PageAsync($"/admin/measures/{id}/preview");
        Assert.Contains("标题", preview.QuerySelector("#impact")!.TextContent);
        var publish = await admin.PostFormAsync($"/admin/measures/{id}/preview", $"/admin/measures/{id}/publish", [new("version", draftVersion.ToString())]);
        Assert.Equal(HttpStatusCode.Redirect, publish.StatusCode);
        Assert.Equal($"/admin/measures/{id}/preview?published={draftVersion}", publish.Headers.Location!.OriginalString);

        published = JsonNode.Parse(await client.GetStringAsync($"/api/measures/{id}"))!;
        Assert.Equal(draftVersion, (long)published["version"]!);
        Assert.Equal("海淀胚芽企业培育计划(修订)", (string?)published["title"]);
        var result = ResultFor(await MatchAsync(profile), id)!;
        Assert.Equal(draftVersion, (long)result["version"]!);
        Assert.Equal("needs_information", (string?)result["outcome"]); // srdi_level not stated
        Assert.Contains("海淀胚芽企业培育计划(修订)", (await portal.PageAsync("/measures?q=胚芽企业")).Body!.TextContent);

        // Every version is kept, and the versions page shows the diff field by field.
        var versions = await admin.PageAsync($"/admin/measures/{id}/versions?from={before.CurrentVersion}&to={draftVersion}");
        Assert.Equal(2, versions.QuerySelectorAll("table.versions tbody tr").Length);
        var title = versions.QuerySelector("tr[data-field='title']")!;
        Assert.Contains("海淀胚芽企业培育计划(修订)", title.QuerySelector("ins")!.TextContent);
        var rule = versions.QuerySelector("li[data-criterion='tech-sme']")!;
        Assert.Contains("科技型中小企业本年度入库 为“是”", rule.QuerySelector(".rule-before")!.TextContent);
        Assert.Contains("专精特新梯度等级 大于等于 1", rule.QuerySelector(".rule-after")!.TextContent);
        Assert.Contains("王芳", versions.QuerySelector($"tr[data-version='{draftVersion}']")!.TextContent);

        var entries = await portal.Service<AuditLog>().ListAsync("measure", id);
        Assert.Equal(["measure.published", "measure.draft_saved"], entries.Select(e => e.Action));
        Assert.Equal(["title", "criteria"], entries[1].Details()["changed"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public async Task Retiring_a_measure_takes_it_out_of_matching()
    {
        using var admin = await portal.AdminAsync();
        const string id = "hd-haiying-talent-support";
        Assert.NotNull(ResultFor(await MatchAsync("""{ "district": "海淀区" }"""), id));

        var response = await admin.PostFormAsync($"/admin/measures/{id}/preview", $"/admin/measures/{id}/retire", []);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/admin/measures/{id}/preview?retired=true", response.Headers.Location!.OriginalString);

        Assert.Null(ResultFor(await MatchAsync("""{ "district": "海淀区" }"""), id));
        using var client = portal.CreateClient();
        Assert.Equal("retired", (string?)JsonNode.Parse(await client.GetStringAsync($"/api/measures/{id}"))!["status"]);
        var home = await admin.PageAsync("/admin");
        Assert.NotNull(home.QuerySelector($"#retired tr[data-measure='{id}']"));
        Assert.Equal("measure.retired", (await portal.Service<AuditLog>().ListAsync("measure", id)).First().Action);
    }

    public static TheoryData<string, (string Name, string Value)[], string, string> InvalidInputs() => new()
    {
        { "malformed raw JSON", [("m.Criteria[0].Mode", "raw"), ("m.Criteria[0].Raw", "{\"==\": [{\"var\": \"district\"},\n  \"海淀区\",, ]}")], "m.Criteria[0].Raw", "第 2 行" },
        { "unknown operator", [("m.Criteria[0].Mode", "raw"), ("m.Criteria[0].Raw", """{"or": [{"frobnicate": [1]}, true]}""")], "m.Criteria[0].Raw", "frobnicate" },
        { "a builder value of the wrong type", [("m.Criteria[0].Builder.Items[1].Value", "五十")], "m.Criteria[0].Builder.Items[1].Value", "整数" },
        { "an operator the fact does not take", [("m.Criteria[0].Builder.Items[0].Operator", ">")], "m.Criteria[0].Builder.Items[0].Operator", "可用的运算符" },
        { "a bad id and a missing title", [("m.Id", "Not A Slug"), ("m.Title", "")], "m.Id", "编号只能由小写英文字母" },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public async Task Invalid_input_re_renders_the_form_with_a_message_at_the_field_and_saves_nothing(
        string scenario, (string Name, string Value)[] changes, string field, string message)
    {
        using var admin = await portal.AdminAsync();
        var id = AdminForms.Slug("hd-bad");
        var fields = (await AdminForms.NewMeasureAsync(portal, id, "无效输入测试")).With(changes);
        var response = await admin.SaveAsync("/admin/measures/new", "/admin/measures/new", fields);
        var page = await AdminForms.ParseAsync(response, HttpStatusCode.UnprocessableEntity);

        var error = page.QuerySelector($"#err-{Features.Authoring.FormErrors.IdOf(field)[2..]}");
        Assert.True(error is not null, $"{scenario}: no message at {field}; summary: {page.QuerySelector(".error-summary")?.TextContent}");
        Assert.Contains(message, error!.TextContent);
        Assert.StartsWith("$.", error.GetAttribute("data-path"));
        Assert.DoesNotContain("$.", error.TextContent); // the field is named in words, not as a JSON path
        Assert.False(string.IsNullOrWhiteSpace(error.QuerySelector(".field-name")!.TextContent));
        Assert.NotNull(page.QuerySelector($".error-summary a[href='#{Features.Authoring.FormErrors.IdOf(field)}']"));
        // What was typed comes back.
        foreach (var (name, value) in changes.Where(c => c.Name != "m.Criteria[0].Mode"))
        {
            var input = page.QuerySelector($"[name='{name}']");
            Assert.True(input is not null, $"{scenario}: {name} is not on the page");
            var shown = input!.LocalName switch
            {
                "textarea" => input.TextContent,
                "select" => input.QuerySelector("option[selected]")?.GetAttribute("value") ?? "",
                _ => input.GetAttribute("value") ?? "",
            };
            Assert.Equal(value.Replace("\r", ""), shown.TrimStart('\n'));
        }
        Assert.Null(await Catalog.GetMeasureStateAsync(id));
        Assert.Null(await Catalog.GetMeasureStateAsync("Not A Slug"));
        Assert.Empty(await portal.Service<AuditLog>().ListAsync("measure", id));
    }

    [Fact]
    public async Task The_unknown_operator_message_names_the_operator_and_its_path()
    {
        using var admin = await portal.AdminAsync();
        var fields = (await AdminForms.NewMeasureAsync(portal, AdminForms.Slug("hd-op"), "运算符测试"))
            .With(("m.Criteria[0].Mode", "raw"), ("m.Criteria[0].Raw", """{"or": [{"frobnicate": [1]}, true]}"""));
        var page = await AdminForms.ParseAsync(await admin.SaveAsync("/admin/measures/new", "/admin/measures/new", fields), HttpStatusCode.UnprocessableEntity);
        var error = page.QuerySelector("#err-m-Criteria-0-Raw")!;
        Assert.Contains("“frobnicate”", error.TextContent);
        Assert.Equal("$.criteria[0].rule.or[0].frobnicate", error.GetAttribute("data-path"));
        Assert.Equal("条件 1 JsonLogic", error.QuerySelector(".field-name")!.TextContent);
    }

    [Theory]
    [InlineData("m.Quote", "这句话并不在原文里。", "引用原文", "引文必须逐字出现在条款")]
    [InlineData("m.Clause", "九(九)9", "条款", "政策文件中没有这个条款")]
    [InlineData("m.Title", "", "标题", "请填写标题")]
    public async Task An_incomplete_draft_is_saved_shows_what_it_lacks_in_chinese_and_cannot_be_published(string name, string value, string label, string message)
    {
        using var admin = await portal.AdminAsync();
        // No id typed, no English labels: the portal generates the ids, English is optional.
        var fields = (await AdminForms.NewMeasureAsync(portal, "", "未完成的草稿")).With((name, value), ("m.Criteria[0].Id", ""), ("m.Criteria[0].LabelEn", ""), ("m.TitleEn", ""));
        var response = await admin.SaveAsync("/admin/measures/new", "/admin/measures/new", fields);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var id = response.Headers.Location!.OriginalString.Split('/')[3];
        Assert.Matches("^p003-\\d+$", id);
        var stored = (await Catalog.GetMeasureAsync(id, 1))!;
        Assert.Equal("c1", stored.ToDocument().Criteria.Single().Id);

        var page = await admin.PageAsync($"/admin/measures/{id}/edit?saved=1");
        Assert.Contains("发布前还需补全", page.QuerySelector(".error-summary")!.TextContent);
        var error = page.QuerySelector($"#err-{Features.Authoring.FormErrors.IdOf(name)[2..]}")!;
        Assert.Equal(label, error.QuerySelector(".field-name")!.TextContent);
        Assert.Contains(message, error.TextContent);

        var publish = await admin.PostFormAsync($"/admin/measures/{id}/preview", $"/admin/measures/{id}/publish", [new("version", "1")]);
        var refused = await AdminForms.ParseAsync(publish, HttpStatusCode.UnprocessableEntity);
        var problem = refused.QuerySelector(".error-summary li")!;
        Assert.Equal(label, problem.QuerySelector("a")!.TextContent);
        Assert.DoesNotContain("$.", problem.TextContent);
        Assert.Equal("draft", (await Catalog.GetMeasureStateAsync(id))!.Status);
    }

    [Fact]
    public async Task A_new_measure_cannot_take_an_existing_id()
    {
        using var admin = await portal.AdminAsync();
        var fields = await AdminForms.NewMeasureAsync(portal, "hd-embryo-enterprise-program", "重复编号");
        var before = (await Catalog.GetMeasureStateAsync("hd-embryo-enterprise-program"))!;
        var page = await AdminForms.ParseAsync(await admin.SaveAsync("/admin/measures/new", "/admin/measures/new", fields), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("已被使用", page.QuerySelector("#err-m-Id")!.TextContent);
        Assert.Equal(before.CurrentVersion, (await Catalog.GetMeasureStateAsync("hd-embryo-enterprise-program"))!.CurrentVersion);
    }

    [Fact]
    public async Task A_draft_saved_meanwhile_by_someone_else_is_not_overwritten()
    {
        using var admin = await portal.AdminAsync();
        var id = AdminForms.Slug("hd-race");
        await admin.SaveAsync("/admin/measures/new", "/admin/measures/new", await AdminForms.NewMeasureAsync(portal, id, "并发测试"));
        var action = $"/admin/measures/{id}/edit";
        var stale = AdminForms.FieldsOf(await admin.PageAsync(action), action);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SaveAsync(action, action, stale.With(("m.Title", "第一人的修改")))).StatusCode);
        var page = await AdminForms.ParseAsync(await admin.SaveAsync(action, action, stale.With(("m.Title", "第二人的修改"))), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("已有人保存了第 2 版", page.QuerySelector(".error-summary")!.TextContent);
        Assert.Equal("第二人的修改", page.QuerySelector("input[name='m.Title']")!.GetAttribute("value"));
        Assert.Equal("第一人的修改", (await Catalog.GetMeasureAsync(id, 2))!.Title);
    }

    [Fact]
    public async Task The_builder_buttons_change_the_form_without_saving()
    {
        using var admin = await portal.AdminAsync();
        var id = AdminForms.Slug("hd-buttons");
        var fields = await AdminForms.NewMeasureAsync(portal, id, "按钮测试");
        async Task<EditPage> Press(List<KeyValuePair<string, string>> current, string command)
        {
            var response = await admin.PostFormAsync("/admin/measures/new", "/admin/measures/new", current.Where(f => f.Key != "command").Append(new("command", command)));
            var page = await AdminForms.ParseAsync(response, HttpStatusCode.OK);
            return new EditPage(page, AdminForms.FieldsOf(page, "/admin/measures/new"));
        }

        var added = await Press(fields, "add-group:0");
        Assert.NotNull(added.Page.QuerySelector("select[name='m.Criteria[0].Builder.Items[2].Group.Items[1].Fact']"));
        Assert.Equal("or", added.Page.QuerySelector("select[name='m.Criteria[0].Builder.Items[2].Group.Combinator'] option[selected]")!.GetAttribute("value"));

        var filled = added.Fields.With(
            ("m.Criteria[0].Builder.Items[2].Group.Items[0].Fact", "hightech_valid"), ("m.Criteria[0].Builder.Items[2].Group.Items[0].Operator", "is-true"),
            ("m.Criteria[0].Builder.Items[2].Group.Items[1].Fact", "focus_areas"), ("m.Criteria[0].Builder.Items[2].Group.Items[1].Operator", "in"),
            ("m.Criteria[0].Builder.Items[2].Group.Items[1].Value", "人工智能"));
        var raw = await Press(filled, "to-raw:0");
        var json = JsonNode.Parse(raw.Page.QuerySelector("textarea[name='m.Criteria[0].Raw']")!.TextContent)!;
        Assert.Equal("""{"and":[{"==":[{"var":"district"},"海淀区"]},{">=":[{"var":"employees"},50]},{"or":[{"==":[{"var":"hightech_valid"},true]},{"in":["人工智能",{"var":"focus_areas"}]}]}]}""",
            AuthoringJson.Compact(json));

        var back = await Press(raw.Fields, "to-builder:0");
        Assert.Equal("人工智能", back.Page.QuerySelector("input[name='m.Criteria[0].Builder.Items[2].Group.Items[1].Value']")!.GetAttribute("value"));

        var removed = await Press(back.Fields, "remove:0/2/0");
        Assert.Null(removed.Page.QuerySelector("select[name='m.Criteria[0].Builder.Items[2].Group.Items[1].Fact']"));
        Assert.Equal("focus_areas", removed.Page.QuerySelector("select[name='m.Criteria[0].Builder.Items[2].Group.Items[0].Fact'] option[selected]")!.GetAttribute("value"));

        var second = await Press(removed.Fields, "add-criterion");
        Assert.NotNull(second.Page.QuerySelector("#criterion-1 select[name='m.Criteria[1].Builder.Items[0].Fact']"));
        var gone = await Press(second.Fields, "remove-criterion:1");
        Assert.Null(gone.Page.QuerySelector("#criterion-1"));

        Assert.Null(await Catalog.GetMeasureStateAsync(id));
    }

    [Fact]
    public async Task Try_it_evaluates_the_criteria_as_typed_against_a_sample_profile()
    {
        using var admin = await portal.AdminAsync();
        var fields = (await AdminForms.NewMeasureAsync(portal, AdminForms.Slug("hd-try"), "试算测试"))
            .Append(new("m.Criteria[1].Id", "hightech")).Append(new("m.Criteria[1].LabelZh", "高新技术企业")).Append(new("m.Criteria[1].LabelEn", "High-tech"))
            .Append(new("m.Criteria[1].Mode", "builder")).Append(new("m.Criteria[1].Builder.Items[0].Fact", "hightech_valid"))
            .Append(new("m.Criteria[1].Builder.Items[0].Operator", "is-true"))
            .Append(new("District", "海淀区")).Append(new("Employees", "80")).Append(new("AsOf", "2025-06-01"))
            .Append(new("command", "try"));
        var response = await admin.PostFormAsync("/admin/measures/new", "/admin/measures/new", fields);
        var page = await AdminForms.ParseAsync(response, HttpStatusCode.OK);

        var tried = page.QuerySelector("#try ul.tried")!;
        Assert.Equal("✓", tried.QuerySelector("li[data-criterion='in-haidian-with-staff'] .mark")!.TextContent);
        Assert.Equal("?", tried.QuerySelector("li[data-criterion='hightech'] .mark")!.TextContent);
        Assert.Contains("高新技术企业证书", tried.QuerySelector("li[data-criterion='hightech'] .missing")!.TextContent);
        Assert.Contains("需补充信息", page.QuerySelector("#try .outcome")!.TextContent);
        Assert.Equal("80", page.QuerySelector("input[name=Employees]")!.GetAttribute("value"));

        var notMet = fields.Where(f => f.Key != "District").Append(new("District", "昌平区"));
        page = await AdminForms.ParseAsync(await admin.PostFormAsync("/admin/measures/new", "/admin/measures/new", notMet), HttpStatusCode.OK);
        Assert.Equal("✗", page.QuerySelector("#try li[data-criterion='in-haidian-with-staff'] .mark")!.TextContent);
        Assert.Contains("不符合", page.QuerySelector("#try .outcome")!.TextContent);
    }

    [Fact]
    public async Task The_admin_home_lists_measures_by_status_and_recent_changes()
    {
        using var admin = await portal.AdminAsync("李雷");
        var id = AdminForms.Slug("hd-home");
        await admin.SaveAsync("/admin/measures/new", "/admin/measures/new", await AdminForms.NewMeasureAsync(portal, id, "首页测试措施"));
        var home = await admin.PageAsync("/admin");
        Assert.NotNull(home.QuerySelector($"#drafts tr[data-measure='{id}'] a[href='/admin/measures/{id}/edit']"));
        Assert.NotNull(home.QuerySelector("#published tr[data-measure='cp-tech-transfer-award']"));
        Assert.Contains("李雷", home.QuerySelector("#recent table.audit")!.TextContent);
        Assert.NotNull(home.QuerySelector("a[href='/admin/audit']"));
        Assert.NotNull(home.QuerySelector("a[href='/admin/measures/new']"));
    }

    [Fact]
    public async Task Every_admin_form_carries_its_own_antiforgery_token()
    {
        // The form tag helper adds no token to a form whose action is an expression unless asked:
        // check each form, not just that some token is somewhere on the page (the logout form has one).
        using var admin = await portal.AdminAsync();
        const string id = "cp-tech-transfer-award";
        foreach (var (page, action) in new[]
        {
            ("/admin/measures/new", "/admin/measures/new"),
            ($"/admin/measures/{id}/edit", $"/admin/measures/{id}/edit"),
            ($"/admin/measures/{id}/preview", $"/admin/measures/{id}/retire"),
        })
        {
            var document = await admin.PageAsync(page);
            Assert.True(document.QuerySelector($"form[action='{action}'] input[name=__RequestVerificationToken]") is not null, $"{page}: the form posting to {action} has no token");
        }
        var draft = AdminForms.Slug("hd-token");
        await admin.SaveAsync("/admin/measures/new", "/admin/measures/new", await AdminForms.NewMeasureAsync(portal, draft, "令牌测试"));
        Assert.NotNull((await admin.PageAsync($"/admin/measures/{draft}/preview")).QuerySelector($"form[action='/admin/measures/{draft}/publish'] input[name=__RequestVerificationToken]"));
    }

    [Fact]
    public async Task The_admin_pages_speak_English_when_asked()
    {
        using var admin = await portal.AdminAsync();
        const string id = "jjj-traditional-industry-upgrading";
        var edit = await admin.PageAsync($"/admin/measures/{id}/edit?lang=en");
        Assert.Contains("Save draft", edit.QuerySelector("button.primary")!.TextContent);
        Assert.Contains("District is one of", edit.QuerySelector("#criterion-0 .sentence")!.TextContent);
        Assert.Equal("All of these (and)", edit.QuerySelector("#criterion-0 select[name='m.Criteria[0].Builder.Combinator'] option[selected]")!.TextContent);
        Assert.Contains("Eligible", (await admin.PageAsync($"/admin/measures/{id}/preview")).QuerySelector("table.counts")!.TextContent);
        Assert.Contains("Versions of", (await admin.PageAsync($"/admin/measures/{id}/versions")).QuerySelector("h1")!.TextContent);
        Assert.Contains("Recent changes", (await admin.PageAsync("/admin")).Body!.TextContent);
        Assert.Contains("Audit log", (await admin.PageAsync("/admin/audit")).QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        using var admin = await portal.AdminAsync();
        var fields = await AdminForms.NewMeasureAsync(portal, AdminForms.Slug("hd-csrf"), "无令牌");
        var response = await admin.Client.PostAsync("/admin/measures/new", new FormUrlEncodedContent(fields.Append(new("command", "save"))));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        response = await admin.Client.PostAsync("/admin/measures/cp-tech-transfer-award/retire", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("published", (await Catalog.GetMeasureStateAsync("cp-tech-transfer-award"))!.Status);
    }
}
