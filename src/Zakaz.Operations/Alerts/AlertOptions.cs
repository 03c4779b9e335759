namespace Zakaz.Operations.Alerts;

/// <summary>How the alerts of <c>zakaz serve</c> behave (ZAKAZ_ALERTS_*); where they go is <see cref="Notifications.ChannelOptions"/>.</summary>
public sealed class AlertOptions
{
    /// <summary>Hours between reminders of an alert that still fires, as Alertmanager's repeat_interval.</summary>
    public int RepeatHours { get; set; } = 4;

    /// <summary>Minutes between evaluations besides the one after every scheduled run.</summary>
    public int EvaluateMinutes { get; set; } = 5;
}
