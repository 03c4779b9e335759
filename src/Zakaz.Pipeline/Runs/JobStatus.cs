namespace Zakaz.Pipeline.Runs;

/// <summary>The one status vocabulary of zakaz.meta_job_runs; the freshness view and the health check read these words.</summary>
public static class JobStatus
{
    public const string Running = "running";
    public const string Ok = "ok";
    public const string Error = "error";
}
