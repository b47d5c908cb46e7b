using Microsoft.Data.Sqlite;
using PolicyMatch.Web.Infrastructure.Data;
using Quartz;

namespace PolicyMatch.Web.Infrastructure.Jobs;

public sealed class JobsOptions
{
    /// <summary>Whether the scheduler runs in this process (tests of pages switch it off).</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>
/// The job scheduler: Quartz 4 with its persistent store, so schedules and pending work survive a
/// restart. Its tables live in their own SQLite file (ConnectionStrings:Jobs, default data/jobs.db) so
/// that Quartz's polling never holds the portal's single writer lock. Every trigger of the portal is
/// declared in this file.
/// </summary>
public static class JobsSetup
{
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Jobs").Get<JobsOptions>() ?? new JobsOptions();
        services.Configure<JobsOptions>(configuration.GetSection("Jobs"));
        if (!options.Enabled)
        {
            return services;
        }
        var connectionString = SqliteConnectionFactory.BuildConnectionString(
            configuration.GetConnectionString("Jobs") ?? DefaultJobsConnectionString(configuration));
        services.AddQuartz(q =>
        {
            q.UsePersistentStore(store =>
            {
                store.UseSqlite(connectionString);
                store.UseSystemTextJsonSerializer();
                store.ProvisionSchema();
            });
            // Triggers: the notice jobs (fan-out, dispatch, reminders, digest) are declared here as they land.
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    /// <summary>By default the jobs database sits beside the portal's database file.</summary>
    private static string DefaultJobsConnectionString(IConfiguration configuration)
    {
        var portal = new SqliteConnectionStringBuilder(SqliteConnectionFactory.BuildConnectionString(configuration.GetConnectionString("PolicyMatch")));
        var directory = Path.GetDirectoryName(Path.GetFullPath(portal.DataSource)) ?? "data";
        return $"Data Source={Path.Combine(directory, "jobs.db")}";
    }
}
