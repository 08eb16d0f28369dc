using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Wallboard.Domain.Stores;
using Wallboard.Web.Alerts;
using Wallboard.Web.Auth;

namespace Wallboard.Web.Data.Configurations;

internal sealed class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    public void Configure(EntityTypeBuilder<Alert> builder)
    {
        builder.Property(a => a.DedupKey).HasMaxLength(200);
        builder.Property(a => a.Subject).HasMaxLength(300);
        builder.Property(a => a.Sms).HasMaxLength(1600);
        builder.Property(a => a.SmsMasked).HasMaxLength(1600);
        // A check that runs twice cannot raise its alert twice.
        builder.HasIndex(a => a.DedupKey).IsUnique().HasFilter("\"DedupKey\" IS NOT NULL");
        // The delivery job finds alerts not yet fanned out.
        builder.HasIndex(a => a.FannedOutAt);
        builder.HasIndex(a => new { a.StoreId, a.Kind, a.CreatedAt });
        builder.HasOne<Store>().WithMany().HasForeignKey(a => a.StoreId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(a => a.Deliveries).WithOne(d => d.Alert).HasForeignKey(d => d.AlertId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AlertDeliveryConfiguration : IEntityTypeConfiguration<AlertDelivery>
{
    public void Configure(EntityTypeBuilder<AlertDelivery> builder)
    {
        builder.Property(d => d.RecipientName).HasMaxLength(256);
        builder.Property(d => d.Address).HasMaxLength(256);
        builder.Property(d => d.LastError).HasMaxLength(2000);
        builder.Property(d => d.ProviderId).HasMaxLength(200);
        // One delivery per alert, person and channel, however often the fan-out runs.
        builder.HasIndex(d => new { d.AlertId, d.UserId, d.Channel }).IsUnique();
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
        builder.HasIndex(d => d.CreatedAt);
        builder.HasOne<WallboardUser>().WithMany().HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AlertPreferenceConfiguration : IEntityTypeConfiguration<AlertPreference>
{
    public void Configure(EntityTypeBuilder<AlertPreference> builder)
    {
        builder.HasKey(p => new { p.UserId, p.Kind });
        builder.HasOne<WallboardUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AlertProfileConfiguration : IEntityTypeConfiguration<AlertProfile>
{
    public void Configure(EntityTypeBuilder<AlertProfile> builder)
    {
        builder.HasKey(p => p.UserId);
        builder.Property(p => p.MobileE164).HasMaxLength(20);
        builder.HasOne<WallboardUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StoreAlertSettingsConfiguration : IEntityTypeConfiguration<StoreAlertSettings>
{
    public void Configure(EntityTypeBuilder<StoreAlertSettings> builder)
    {
        builder.HasKey(s => s.StoreId);
        builder.HasOne<Store>().WithMany().HasForeignKey(s => s.StoreId).OnDelete(DeleteBehavior.Cascade);
    }
}
