"""GA4-style default channel group and device categories, as SQL expressions over a row's marketing fields.

Source lists are short seeds (GA4 uses long ones); they are passed as parameters, never spliced into SQL."""

from __future__ import annotations

SEARCH = ("google", "bing", "yahoo", "baidu", "duckduckgo", "yandex", "ecosia", "ask", "aol", "naver", "seznam",
          "qwant", "startpage", "brave", "sogou", "daum", "search")
SOCIAL = ("facebook", "fb", "instagram", "ig", "twitter", "t.co", "x", "linkedin", "lnkd.in", "pinterest", "reddit",
          "tiktok", "snapchat", "tumblr", "vk", "weibo", "quora", "whatsapp", "telegram", "threads", "mastodon",
          "discord", "social")
VIDEO = ("youtube", "vimeo", "twitch", "dailymotion", "wistia")
SHOPPING = ("amazon", "ebay", "etsy", "shopify", "walmart", "aliexpress", "idealo", "mercadolibre", "shopping")

PAID_MEDIUM = r"^(.*cp.*|ppc|retargeting|paid.*)$"
PARAMS = {
    "ch_search": list(SEARCH), "ch_social": list(SOCIAL), "ch_video": list(VIDEO), "ch_shopping": list(SHOPPING),
    "ch_paid": PAID_MEDIUM,
}


def _in(source: str, group: str) -> str:
    """The lower-cased source is in the group, or is a host/name containing one of its words."""
    return (f"({source} = ANY(%({group})s) OR EXISTS (SELECT 1 FROM unnest(%({group})s::text[]) AS w(w)"
            f" WHERE {source} LIKE w || '.%%' OR {source} LIKE '%%.' || w || '.%%'))")


def channel_group_sql(source: str, medium: str, campaign: str) -> str:
    """A CASE yielding the channel of lower-cased `source`, `medium`, `campaign` expressions (NULL = absent).
    Callers must pass NULL medium and source for internal referrers, which makes the visit Direct."""
    paid = f"{medium} ~ %(ch_paid)s"
    shopping_campaign = f"coalesce({campaign}, '') ~ '^(.*(([^a-df-z]|^)shop|shopping).*)$'"
    return f"""CASE
        WHEN {source} IS NULL AND {medium} IS NULL THEN 'Direct'
        WHEN {source} = '(direct)' AND {medium} IN ('(none)', '(not set)') THEN 'Direct'
        WHEN coalesce({campaign}, '') LIKE '%%cross-network%%' THEN 'Cross-network'
        WHEN ({_in(source, 'ch_shopping')} OR {shopping_campaign}) AND {paid} THEN 'Paid Shopping'
        WHEN {_in(source, 'ch_search')} AND {paid} THEN 'Paid Search'
        WHEN {_in(source, 'ch_social')} AND {paid} THEN 'Paid Social'
        WHEN {_in(source, 'ch_video')} AND {paid} THEN 'Paid Video'
        WHEN {medium} IN ('display', 'banner', 'expandable', 'interstitial', 'cpm') THEN 'Display'
        WHEN {paid} THEN 'Paid Other'
        WHEN {_in(source, 'ch_shopping')} OR {shopping_campaign} THEN 'Organic Shopping'
        WHEN {_in(source, 'ch_social')}
             OR {medium} IN ('social', 'social-network', 'social-media', 'sm', 'social network', 'social media')
             THEN 'Organic Social'
        WHEN {_in(source, 'ch_video')} OR {medium} LIKE '%%video%%' THEN 'Organic Video'
        WHEN {_in(source, 'ch_search')} OR {medium} IN ('organic', 'search') THEN 'Organic Search'
        WHEN {source} ~ 'e[-_ ]?mail' OR {medium} ~ 'e[-_ ]?mail' THEN 'Email'
        WHEN {medium} = 'affiliate' THEN 'Affiliates'
        WHEN {medium} IN ('referral', 'app', 'link', 'unknown') THEN 'Referral'
        WHEN {medium} = 'audio' THEN 'Audio'
        WHEN {source} = 'sms' OR {medium} = 'sms' THEN 'SMS'
        WHEN {medium} LIKE '%%push' OR {medium} LIKE '%%mobile%%' OR {medium} LIKE '%%notification%%'
             THEN 'Mobile Push'
        ELSE 'Unassigned' END"""


def device_category_sql(alias: str) -> str:
    """Desktop, Mobile, Tablet, Other or Unknown from ua-parser's dvce_type, or the mobile context for apps."""
    a = alias
    return f"""CASE
        WHEN {a}.device_model ILIKE '%%ipad%%' OR {a}.dvce_type = 'Tablet' THEN 'Tablet'
        WHEN {a}.platform = 'mob' OR {a}.dvce_type = 'Mobile' OR {a}.dvce_ismobile THEN 'Mobile'
        WHEN {a}.dvce_type = 'Computer' THEN 'Desktop'
        WHEN {a}.dvce_type IN ('Game console', 'Digital media receiver', 'Wearable', 'Smart TV') THEN 'Other'
        ELSE 'Unknown' END"""


def screen_size_sql(width: str) -> str:
    """Plausible's screen-size classes from the screen width in CSS pixels."""
    return f"""CASE WHEN {width} IS NULL THEN NULL WHEN {width} < 576 THEN 'Mobile' WHEN {width} < 992 THEN 'Tablet'
        WHEN {width} < 1440 THEN 'Laptop' ELSE 'Desktop' END"""
