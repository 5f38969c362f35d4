from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from backtp.accounts.forms import ThrottledAdminAuthenticationForm
from backtp.accounts.models import User

admin.site.register(User, UserAdmin)
# The admin's login page counts failures and locks out like the site's own.
admin.site.login_form = ThrottledAdminAuthenticationForm
