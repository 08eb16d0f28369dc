using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Wallboard.Domain.Stores;
using Wallboard.Web.Auth;

namespace Wallboard.Web.Data.Configurations;

internal sealed class WallboardUserConfiguration : IEntityTypeConfiguration<WallboardUser>
{
    public void Configure(EntityTypeBuilder<WallboardUser> builder)
    {
        builder.Property(u => u.DisplayName).HasMaxLength(120);
        builder.HasOne<Salesperson>().WithMany().HasForeignKey(u => u.SalespersonId).OnDelete(DeleteBehavior.SetNull);
        builder.HasMany(u => u.Stores).WithOne().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AccountStoreConfiguration : IEntityTypeConfiguration<AccountStore>
{
    public void Configure(EntityTypeBuilder<AccountStore> builder)
    {
        builder.ToTable("AccountStores");
        builder.HasKey(s => new { s.UserId, s.StoreId });
        builder.HasOne<Store>().WithMany().HasForeignKey(s => s.StoreId).OnDelete(DeleteBehavior.Cascade);
    }
}
