using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Wallboard.Domain.Stores;

namespace Wallboard.Web.Data.Configurations;

internal sealed class StoreConfiguration : IEntityTypeConfiguration<Store>
{
    public void Configure(EntityTypeBuilder<Store> builder)
    {
        builder.Property(s => s.Name).HasMaxLength(120);
        builder.Property(s => s.Slug).HasMaxLength(60);
        builder.HasIndex(s => s.Slug).IsUnique();
        builder.Property(s => s.City).HasMaxLength(120);
        builder.Property(s => s.TimeZoneId).HasMaxLength(64);
        builder.Property(s => s.CountryCode).HasMaxLength(2);
        builder.Ignore(s => s.Calendar);

        // Settings live in the store's own row: one read gives a store and its thresholds.
        builder.ComplexProperty(s => s.Settings, settings => settings.Ignore(x => x.ShortAbandon).Ignore(x => x.StaleCallLimit));

        builder.HasMany(s => s.BusinessHours).WithOne().HasForeignKey(h => h.StoreId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(s => s.ClosedDates).WithOne().HasForeignKey(c => c.StoreId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class BusinessHoursConfiguration : IEntityTypeConfiguration<BusinessHours>
{
    public void Configure(EntityTypeBuilder<BusinessHours> builder) =>
        builder.HasIndex(h => new { h.StoreId, h.Department, h.Day });
}

internal sealed class ClosedDateConfiguration : IEntityTypeConfiguration<ClosedDate>
{
    public void Configure(EntityTypeBuilder<ClosedDate> builder)
    {
        builder.Property(c => c.Name).HasMaxLength(120);
        builder.HasIndex(c => new { c.StoreId, c.Date }).IsUnique();
    }
}
