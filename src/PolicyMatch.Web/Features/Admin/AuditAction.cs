using PolicyMatch.Web.Infrastructure.Data;

namespace PolicyMatch.Web.Features.Admin;

/// <summary>
/// What an audit entry records (column audit_log.action), with the label the audit log shows. Every
/// write names one of these, so a new action gets its label when it is added, not when someone sees
/// a raw key on the page.
/// </summary>
public sealed class AuditAction : StoredState<AuditAction>, IStoredState<AuditAction>
{
    public static readonly AuditAction MeasureCreated = new("measure.created", "新建措施(草稿)", "Created a measure (draft)");
    public static readonly AuditAction MeasureDraftSaved = new("measure.draft_saved", "保存草稿", "Saved a draft");
    public static readonly AuditAction MeasurePublished = new("measure.published", "发布", "Published");
    public static readonly AuditAction MeasureRetired = new("measure.retired", "停止措施", "Retired");
    public static readonly AuditAction MeasureEligibleExported = new("measure.eligible_exported", "导出符合条件企业名单", "Exported the eligible companies");
    public static readonly AuditAction DocumentCreated = new("document.created", "新增政策文件", "Added a policy document");
    public static readonly AuditAction DocumentTextReplaced = new("document.text_replaced", "替换政策文件正文", "Replaced a document's text");
    public static readonly AuditAction NoticeScheduled = new("notice.scheduled", "安排发送通知", "Scheduled a notice");
    public static readonly AuditAction NoticeCancelled = new("notice.cancelled", "取消通知", "Cancelled a notice");
    public static readonly AuditAction NoticeAttachmentAdded = new("notice.attachment_added", "添加通知附件", "Added a notice attachment");
    public static readonly AuditAction NoticeAttachmentRemoved = new("notice.attachment_removed", "删除通知附件", "Removed a notice attachment");
    public static readonly AuditAction DeliveryRetried = new("delivery.retried", "重新发送一封失败的邮件", "Retried a failed email");
    public static readonly AuditAction DeliveriesRetried = new("deliveries.retried", "重新发送全部失败的邮件", "Retried all failed emails");
    public static readonly AuditAction TenantAdded = new("incubator.tenant_added", "添加在孵企业", "Added a tenant");
    public static readonly AuditAction TenantRemoved = new("incubator.tenant_removed", "移除在孵企业", "Removed a tenant");
    public static readonly AuditAction TenantsImported = new("incubator.tenants_imported", "导入在孵企业名单", "Imported tenants");
    public static readonly AuditAction LinkRequested = new("incubator.link_requested", "申请关联已有企业", "Asked to link a company");
    public static readonly AuditAction LinkApproved = new("company.link_approved", "同意孵化器关联", "Approved an incubator link");
    public static readonly AuditAction LinkDeclined = new("company.link_declined", "拒绝孵化器关联", "Declined an incubator link");
    public static readonly AuditAction VerificationApproved = new("verification.approved", "通过企业认证", "Approved a verification");
    public static readonly AuditAction VerificationRejected = new("verification.rejected", "驳回企业认证", "Rejected a verification");

    private AuditAction(string value, string chinese, string english) : base(value, chinese, english)
    {
    }

    public static IReadOnlyList<AuditAction> All { get; } =
    [
        MeasureCreated, MeasureDraftSaved, MeasurePublished, MeasureRetired, MeasureEligibleExported,
        DocumentCreated, DocumentTextReplaced,
        NoticeScheduled, NoticeCancelled, NoticeAttachmentAdded, NoticeAttachmentRemoved, DeliveryRetried, DeliveriesRetried,
        TenantAdded, TenantRemoved, TenantsImported, LinkRequested, LinkApproved, LinkDeclined,
        VerificationApproved, VerificationRejected,
    ];
}
