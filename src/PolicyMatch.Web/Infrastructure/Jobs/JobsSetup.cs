using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using PolicyMatch.Web.Features.Notices;
using PolicyMatch.Web.Features.Rematch;
using PolicyMatch.Web.Infrastructure.Data;
using Quartz;

namespace PolicyMatch.Web.Infrastructure.Jobs;

public sealed class JobsOptions
{
    /// <summary>Whether the scheduler runs in this process (tests of pages switch it off).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the fan-out looks for notices whose send time has come.</summary>
    public TimeSpan FanOutInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the dispatcher looks for email to send (every fan-out and reminder run also wakes it).</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>One declared schedule: its job, its trigger, and what the jobs dashboard says about it.</summary>
public sealed record JobSchedule(
    JobKey Job, Type JobType, TriggerKey Trigger, string DescriptionZh, string DescriptionEn, string WhenZh, string WhenEn,
    bool RequestsRecovery, IScheduleBuilder Schedule);

/// <summary>
/// The job scheduler: Quartz 4 with its persistent store, so schedules and pending work survive a
/// restart. Its tables live in their own SQLite file (ConnectionStrings:Jobs, default data/jobs.db) so
/// that Quartz's polling never holds the portal's single writer lock. Every trigger of the portal is
/// declared in this file (<see cref="Schedules"/>).
/// </summary>
public static class JobsSetup
{
    public const string Group = "notices";

    public static readonly JobKey FanOut = new("fan-out", Group);
    public static readonly JobKey Dispatch = new("dispatch", Group);
    public static readonly JobKey DeadlineReminders = new("deadline-reminders", Group);
    public static readonly JobKey ExpiryReminders = new("expiry-reminders", Group);
    public static readonly JobKey Digest = new("digest", Group);

    /// <summary>The stored matches' refresh (Features/Rematch): daily in full, and on demand for one measure.</summary>
    public const string MatchingGroup = "matching";

    public static readonly JobKey Rematch = new("rematch", MatchingGroup);

    /// <summary>
    /// Every schedule of the portal. Intervals come from <see cref="JobsOptions"/>; the calendar ones are
    /// Beijing time. A cron trigger that should have fired while the portal was down fires once at
    /// start (FireAndProceed); an interval trigger just carries on (NextWithRemainingCount).
    /// </summary>
    public static IReadOnlyList<JobSchedule> Schedules(JobsOptions options) =>
    [
        new(FanOut, typeof(FanOutJob), new TriggerKey("fan-out-every-interval", Group),
            "发布到时的通知,写入投递记录(站内信、邮件)", "Publishes notices whose send time has come and writes their deliveries",
            $"每 {options.FanOutInterval.TotalSeconds:0} 秒", $"every {options.FanOutInterval.TotalSeconds:0} s",
            RequestsRecovery: true, Every(options.FanOutInterval)),
        new(Dispatch, typeof(DispatchJob), new TriggerKey("dispatch-every-interval", Group),
            "发送待发邮件(并行、失败重试)", "Sends pending emails (in parallel, retrying failures)",
            $"每 {options.DispatchInterval.TotalSeconds:0} 秒,以及每次写入投递后", $"every {options.DispatchInterval.TotalSeconds:0} s, and after every fan-out",
            RequestsRecovery: true, Every(options.DispatchInterval)),
        new(DeadlineReminders, typeof(DeadlineReminderJob), new TriggerKey("deadline-reminders-daily", Group),
            "申报截止提醒(截止前 N 天,未确认已读者)", "Deadline reminders (N days before a window closes, to those who have not confirmed)",
            "每天 08:00(北京时间)", "daily 08:00 Beijing time",
            RequestsRecovery: false, Cron("0 0 8 * * ?")),
        new(ExpiryReminders, typeof(ExpiryReminderJob), new TriggerKey("expiry-reminders-daily", Group),
            "资质到期提醒(高新证书 6 个月内到期,每张证书一次)", "Qualification expiry reminders (high-tech certificate within 6 months, once per certificate)",
            "每天 08:15(北京时间)", "daily 08:15 Beijing time",
            RequestsRecovery: false, Cron("0 15 8 * * ?")),
        new(Digest, typeof(DigestJob), new TriggerKey("digest-weekly", Group),
            "新匹配政策周报", "Weekly digest of newly matching measures",
            "每周一 09:00(北京时间)", "Mondays 09:00 Beijing time",
            RequestsRecovery: false, Cron("0 0 9 ? * MON")),
        new(Rematch, typeof(RematchJob), new TriggerKey("rematch-daily", MatchingGroup),
            "重新计算全部企业的匹配结果(企业年限、证书有效期等随日期变化);发布、下线政策后另行只计算该政策",
            "Recomputes every company's stored matches (age, certificate validity and the like change with the date); publishing or retiring a measure also runs it for that measure",
            "每天 03:30(北京时间),以及每次发布、下线、导入之后", "daily 03:30 Beijing time, and after each publish, retire or import",
            RequestsRecovery: true, Cron("0 30 3 * * ?")),
    ];

    private static IScheduleBuilder Every(TimeSpan interval) =>
        SimpleScheduleBuilder.Create().WithInterval(interval).RepeatForever()
            .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount);

    private static IScheduleBuilder Cron(string expression) =>
        CronScheduleBuilder.Create(expression).InTimeZone(BeijingTime.Zone)
            .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed);

    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Jobs").Get<JobsOptions>() ?? new JobsOptions();
        services.Configure<JobsOptions>(configuration.GetSection("Jobs"));
        services.AddSingleton<ScheduledJobs>();
        if (!options.Enabled)
        {
            return services;
        }
        var provider = DatabaseSetup.ProviderOf(configuration);
        var connectionString = JobsConnectionString(configuration, provider);
        // A declared trigger replaces the stored one at start but keeps its history, so a daily run
        // missed while the portal was down is still seen as missed (and fires once).
        services.Configure<QuartzOptions>(o => o.Scheduling.ScheduleTriggerRelativeToReplacedTrigger = true);
        services.AddQuartz(q =>
        {
            q.UsePersistentStore(store =>
            {
                if (provider == DbProvider.PostgreSql)
                {
                    store.UsePostgres(connectionString);
                    // Row locks (SELECT … FOR UPDATE on qrtz_locks) hand each firing to one node; a
                    // node that stops checking in has its running, recoverable jobs taken over.
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = TimeSpan.FromSeconds(5);
                        c.CheckinMisfireThreshold = TimeSpan.FromSeconds(20);
                    });
                }
                else
                {
                    store.UseSqlite(connectionString);
                }
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
            });
            // Shutting down, running jobs get their cancellation token signalled: the dispatcher then
            // finishes the SMTP calls in flight, records them, and hands back what it had not started.
            q.ConfigureScheduler(s =>
            {
                s.ShutdownJobInterruption = ShutdownJobInterruption.Always;
                // One scheduler name on every node, and an instance id of each node's own (host name
                // and a timestamp): on PostgreSQL the nodes form one cluster.
                s.InstanceName = "PolicyMatch";
                s.GenerateInstanceId = true;
            });
            foreach (var declared in Schedules(options))
            {
                q.AddJob(declared.JobType, j => j
                    .WithIdentity(declared.Job)
                    .WithDescription(declared.DescriptionEn)
                    .StoreDurably()
                    // Killed mid-run, the job runs again as soon as the scheduler is back.
                    .RequestRecovery(declared.RequestsRecovery));
                // The schedule is built when the scheduler is, from the options as they are then
                // (a test host's settings arrive after this registration runs).
                q.AddTrigger((provider, t) =>
                {
                    var schedule = Schedules(provider.GetRequiredService<IOptions<JobsOptions>>().Value).Single(s => s.Trigger.Equals(declared.Trigger));
                    t.ForJob(schedule.Job).WithIdentity(schedule.Trigger).WithDescription(schedule.WhenEn).WithSchedule(schedule.Schedule).StartNow();
                });
            }
        });
        services.AddHostedService(sp => new SchedulerHost(
            sp.GetRequiredService<ISchedulerFactory>(), sp.GetRequiredService<IOptions<JobsOptions>>(),
            provider == DbProvider.Sqlite ? connectionString : null, sp.GetRequiredService<StartupLock>(),
            sp.GetRequiredService<ILogger<SchedulerHost>>()));
        return services;
    }

    /// <summary>
    /// Starts the scheduler when Jobs:Enabled is true as the host's options say at start (tests of pages
    /// switch it off in settings that arrive after registration), and stops it waiting for running
    /// jobs. Before the first start it puts a SQLite jobs database in WAL mode (a property of the file):
    /// the dashboard reads while the scheduler writes. On PostgreSQL the first start provisions the
    /// job store's tables, under the start-up lock so two nodes starting together do not both try.
    /// </summary>
    private sealed class SchedulerHost(
        ISchedulerFactory factory, IOptions<JobsOptions> options, string? sqliteConnectionString, StartupLock startupLock, ILogger<SchedulerHost> logger) : IHostedService
    {
        private IScheduler? _scheduler;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (!options.Value.Enabled)
            {
                logger.LogInformation("The job scheduler does not run in this process (Jobs:Enabled is false)");
                return;
            }
            if (sqliteConnectionString is not null)
            {
                await using var connection = new SqliteConnection(sqliteConnectionString);
                await connection.OpenAsync(cancellationToken);
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA journal_mode = WAL;";
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            await using (await startupLock.AcquireAsync(cancellationToken))
            {
                _scheduler = await factory.GetScheduler(cancellationToken);
            }
            await _scheduler.Start(cancellationToken);
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            if (_scheduler is not null)
            {
                await _scheduler.Shutdown(waitForJobsToComplete: true, cancellationToken);
            }
        }
    }

    /// <summary>
    /// ConnectionStrings:Jobs when set. Otherwise, on SQLite, a jobs.db file beside the portal's
    /// database file; on PostgreSQL, the portal's own database (the qrtz_ tables sit beside the app's).
    /// </summary>
    private static string JobsConnectionString(IConfiguration configuration, DbProvider provider)
    {
        var configured = configuration.GetConnectionString("Jobs");
        if (provider == DbProvider.PostgreSql)
        {
            return string.IsNullOrWhiteSpace(configured) ? configuration.GetConnectionString("PolicyMatch") ?? "" : configured;
        }
        return SqliteConnectionFactory.BuildConnectionString(configured ?? DefaultJobsConnectionString(configuration));
    }

    private static string DefaultJobsConnectionString(IConfiguration configuration)
    {
        var portal = new SqliteConnectionStringBuilder(SqliteConnectionFactory.BuildConnectionString(configuration.GetConnectionString("PolicyMatch")));
        var directory = Path.GetDirectoryName(Path.GetFullPath(portal.DataSource)) ?? "data";
        return $"Data Source={Path.Combine(directory, "jobs.db")}";
    }
}
