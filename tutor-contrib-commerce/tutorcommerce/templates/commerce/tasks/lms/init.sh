# commerce_plugin (tutor-contrib-commerce): the staff service user whose JWT calls the LMS APIs,
# its client-credentials application, then the plugin's own check of the wiring.
./manage.py lms manage_user {{ COMMERCE_SERVICE_USERNAME }} {{ COMMERCE_SERVICE_EMAIL }} --staff --unusable-password
./manage.py lms create_dot_application \
  --grant-type client-credentials \
  --client-id {{ COMMERCE_LMS_OAUTH_CLIENT_ID }} \
  --client-secret {{ COMMERCE_LMS_OAUTH_CLIENT_SECRET }} \
  --scopes email,profile \
  --update commerce-plugin {{ COMMERCE_SERVICE_USERNAME }}
./manage.py lms commerce_lms_check || echo "commerce_lms_check reported problems: see above (the LMS still starts)"
