
export type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[]

export type Database = {
  
  "public": {
          Tables: {
            "activities": {
                  Row: {
                    "assignee_id": string | null,"attachments": NonNullable<Json>,"author_id": string | null,"body": string | null,"completed_at": string | null,"created_at": string,"customer_id": string,"customer_owner_id": string | null,"deal_id": string | null,"direction": Database["public"]['Enums']["communication_direction"] | null,"due_at": string | null,"id": string,"kind": Database["public"]['Enums']["activity_kind"],"metadata": NonNullable<Json>,"remind_at": string | null,"subject": string | null,"task_type": Database["public"]['Enums']["task_type"] | null,"thread_id": string | null,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "assignee_id"?: string | null,"attachments"?: NonNullable<Json>,"author_id"?: string | null,"body"?: string | null,"completed_at"?: string | null,"created_at"?: string,"customer_id": string,"customer_owner_id"?: string | null,"deal_id"?: string | null,"direction"?: Database["public"]['Enums']["communication_direction"] | null,"due_at"?: string | null,"id"?: string,"kind": Database["public"]['Enums']["activity_kind"],"metadata"?: NonNullable<Json>,"remind_at"?: string | null,"subject"?: string | null,"task_type"?: Database["public"]['Enums']["task_type"] | null,"thread_id"?: string | null,"updated_at"?: string
                  }
                  Update: {
                    "assignee_id"?: string | null,"attachments"?: NonNullable<Json>,"author_id"?: string | null,"body"?: string | null,"completed_at"?: string | null,"created_at"?: string,"customer_id"?: string,"customer_owner_id"?: string | null,"deal_id"?: string | null,"direction"?: Database["public"]['Enums']["communication_direction"] | null,"due_at"?: string | null,"id"?: string,"kind"?: Database["public"]['Enums']["activity_kind"],"metadata"?: NonNullable<Json>,"remind_at"?: string | null,"subject"?: string | null,"task_type"?: Database["public"]['Enums']["task_type"] | null,"thread_id"?: string | null,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "activities_assignee_id_fkey"
      columns: ["assignee_id"]
isOneToOne: false
      referencedRelation: "team_members"
      referencedColumns: ["user_id"]
    },{
      foreignKeyName: "activities_author_id_fkey"
      columns: ["author_id"]
isOneToOne: false
      referencedRelation: "team_members"
      referencedColumns: ["user_id"]
    },{
      foreignKeyName: "activities_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customer_list"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "activities_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customers"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "activities_deal_id_fkey"
      columns: ["deal_id"]
isOneToOne: false
      referencedRelation: "deals"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "activities_thread_id_fkey"
      columns: ["thread_id"]
isOneToOne: false
      referencedRelation: "message_threads"
      referencedColumns: ["id"]
    }
                  ]
                },"affiliate_feed_errors": {
                  Row: {
                    "created_at": string,"id": number,"item_id": string | null,"line": number,"reason": string,"run_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"id"?: never,"item_id"?: string | null,"line": number,"reason": string,"run_id": string
                  }
                  Update: {
                    "created_at"?: string,"id"?: never,"item_id"?: string | null,"line"?: number,"reason"?: string,"run_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "affiliate_feed_errors_run_id_fkey"
      columns: ["run_id"]
isOneToOne: false
      referencedRelation: "affiliate_feed_runs"
      referencedColumns: ["id"]
    }
                  ]
                },"affiliate_feed_runs": {
                  Row: {
                    "error": string | null,"feed_id": string,"finished_at": string | null,"id": string,"lease_until": string | null,"products_unavailable": number,"rows_created": number,"rows_rejected": number,"rows_total": number,"rows_unchanged": number,"rows_updated": number,"started_at": string,"status": string
                  }
                  ComputedFields: never
                  Insert: {
                    "error"?: string | null,"feed_id": string,"finished_at"?: string | null,"id"?: string,"lease_until"?: string | null,"products_unavailable"?: number,"rows_created"?: number,"rows_rejected"?: number,"rows_total"?: number,"rows_unchanged"?: number,"rows_updated"?: number,"started_at"?: string,"status"?: string
                  }
                  Update: {
                    "error"?: string | null,"feed_id"?: string,"finished_at"?: string | null,"id"?: string,"lease_until"?: string | null,"products_unavailable"?: number,"rows_created"?: number,"rows_rejected"?: number,"rows_total"?: number,"rows_unchanged"?: number,"rows_updated"?: number,"started_at"?: string,"status"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "affiliate_feed_runs_feed_id_fkey"
      columns: ["feed_id"]
isOneToOne: false
      referencedRelation: "affiliate_feeds"
      referencedColumns: ["id"]
    }
                  ]
                },"affiliate_feeds": {
                  Row: {
                    "active": boolean,"created_at": string,"created_by": string | null,"feed_url": string,"field_map": NonNullable<Json>,"format": string,"id": string,"interval_minutes": number,"network": string,"next_run_at": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "active"?: boolean,"created_at"?: string,"created_by"?: string | null,"feed_url": string,"field_map"?: NonNullable<Json>,"format": string,"id"?: string,"interval_minutes"?: number,"network": string,"next_run_at"?: string,"updated_at"?: string
                  }
                  Update: {
                    "active"?: boolean,"created_at"?: string,"created_by"?: string | null,"feed_url"?: string,"field_map"?: NonNullable<Json>,"format"?: string,"id"?: string,"interval_minutes"?: number,"network"?: string,"next_run_at"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    
                  ]
                },"alert_log": {
                  Row: {
                    "attempts": number,"claimed_until": string | null,"clicked_at": string | null,"created_at": string,"currency": string | null,"customer_id": string,"customer_owner_id": string | null,"dedup_key": string,"id": number,"kind": Database["public"]['Enums']["alert_kind"],"message_id": string | null,"new_price": number | null,"not_before": string,"old_price": number | null,"opened_at": string | null,"price_history_id": number | null,"reason": string | null,"sent_at": string | null,"state": Database["public"]['Enums']["alert_state"],"stock_history_id": number | null,"updated_at": string,"variant_id": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "attempts"?: number,"claimed_until"?: string | null,"clicked_at"?: string | null,"created_at"?: string,"currency"?: string | null,"customer_id": string,"customer_owner_id"?: string | null,"dedup_key": string,"id"?: never,"kind": Database["public"]['Enums']["alert_kind"],"message_id"?: string | null,"new_price"?: number | null,"not_before"?: string,"old_price"?: number | null,"opened_at"?: string | null,"price_history_id"?: number | null,"reason"?: string | null,"sent_at"?: string | null,"state"?: Database["public"]['Enums']["alert_state"],"stock_history_id"?: number | null,"updated_at"?: string,"variant_id"?: string | null
                  }
                  Update: {
                    "attempts"?: number,"claimed_until"?: string | null,"clicked_at"?: string | null,"created_at"?: string,"currency"?: string | null,"customer_id"?: string,"customer_owner_id"?: string | null,"dedup_key"?: string,"id"?: never,"kind"?: Database["public"]['Enums']["alert_kind"],"message_id"?: string | null,"new_price"?: number | null,"not_before"?: string,"old_price"?: number | null,"opened_at"?: string | null,"price_history_id"?: number | null,"reason"?: string | null,"sent_at"?: string | null,"state"?: Database["public"]['Enums']["alert_state"],"stock_history_id"?: number | null,"updated_at"?: string,"variant_id"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "alert_log_currency_fkey"
      columns: ["currency"]
isOneToOne: false
      referencedRelation: "currencies"
      referencedColumns: ["code"]
    },{
      foreignKeyName: "alert_log_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customer_list"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "alert_log_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customers"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "alert_log_price_history_id_fkey"
      columns: ["price_history_id"]
isOneToOne: false
      referencedRelation: "price_history"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "alert_log_stock_history_id_fkey"
      columns: ["stock_history_id"]
isOneToOne: false
      referencedRelation: "stock_history"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "alert_log_variant_id_fkey"
      columns: ["variant_id"]
isOneToOne: false
      referencedRelation: "product_variants"
      referencedColumns: ["id"]
    }
                  ]
                },"alert_preferences": {
                  Row: {
                    "back_in_stock": boolean,"created_at": string,"customer_id": string,"customer_owner_id": string | null,"max_per_day": number | null,"price_drop": boolean,"price_drop_threshold_percent": number | null,"quiet_hours_end": string | null,"quiet_hours_start": string | null,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "back_in_stock"?: boolean,"created_at"?: string,"customer_id": string,"customer_owner_id"?: string | null,"max_per_day"?: number | null,"price_drop"?: boolean,"price_drop_threshold_percent"?: number | null,"quiet_hours_end"?: string | null,"quiet_hours_start"?: string | null,"updated_at"?: string
                  }
                  Update: {
                    "back_in_stock"?: boolean,"created_at"?: string,"customer_id"?: string,"customer_owner_id"?: string | null,"max_per_day"?: number | null,"price_drop"?: boolean,"price_drop_threshold_percent"?: number | null,"quiet_hours_end"?: string | null,"quiet_hours_start"?: string | null,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "alert_preferences_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: true
      referencedRelation: "customer_list"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "alert_preferences_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: true
      referencedRelation: "customers"
      referencedColumns: ["id"]
    }
                  ]
                },"alert_settings": {
                  Row: {
                    "back_in_stock_enabled": boolean,"daily_cap_per_shopper": number,"id": boolean,"price_drop_enabled": boolean,"price_drop_threshold_percent": number,"quiet_hours_end": string | null,"quiet_hours_start": string | null,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "back_in_stock_enabled"?: boolean,"daily_cap_per_shopper"?: number,"id"?: boolean,"price_drop_enabled"?: boolean,"price_drop_threshold_percent"?: number,"quiet_hours_end"?: string | null,"quiet_hours_start"?: string | null,"updated_at"?: string
                  }
                  Update: {
                    "back_in_stock_enabled"?: boolean,"daily_cap_per_shopper"?: number,"id"?: boolean,"price_drop_enabled"?: boolean,"price_drop_threshold_percent"?: number,"quiet_hours_end"?: string | null,"quiet_hours_start"?: string | null,"updated_at"?: string
                  }
                  Relationships: [
                    
                  ]
                },"audit_log": {
                  Row: {
                    "action": string,"actor_id": string | null,"actor_role": string,"after": Json | null,"before": Json | null,"id": number,"occurred_at": string,"row_id": string,"table_name": string
                  }
                  ComputedFields: never
                  Insert: {
                    "action": string,"actor_id"?: string | null,"actor_role": string,"after"?: Json | null,"before"?: Json | null,"id"?: never,"occurred_at"?: string,"row_id": string,"table_name": string
                  }
                  Update: {
                    "action"?: string,"actor_id"?: string | null,"actor_role"?: string,"after"?: Json | null,"before"?: Json | null,"id"?: never,"occurred_at"?: string,"row_id"?: string,"table_name"?: string
                  }
                  Relationships: [
                    
                  ]
                },"campaign_recipients": {
                  Row: {
                    "attempts": number,"campaign_id": string,"claimed_until": string | null,"customer_id": string,"email": string | null,"id": number,"language": string | null,"not_before": string,"provider_message_id": string | null,"reason": string | null,"sent_at": string | null,"state": Database["public"]['Enums']["campaign_recipient_state"],"updated_at": string,"zone": string
                  }
                  ComputedFields: never
                  Insert: {
                    "attempts"?: number,"campaign_id": string,"claimed_until"?: string | null,"customer_id": string,"email"?: string | null,"id"?: never,"language"?: string | null,"not_before"?: string,"provider_message_id"?: string | null,"reason"?: string | null,"sent_at"?: string | null,"state"?: Database["public"]['Enums']["campaign_recipient_state"],"updated_at"?: string,"zone"?: string
                  }
                  Update: {
                    "attempts"?: number,"campaign_id"?: string,"claimed_until"?: string | null,"customer_id"?: string,"email"?: string | null,"id"?: never,"language"?: string | null,"not_before"?: string,"provider_message_id"?: string | null,"reason"?: string | null,"sent_at"?: string | null,"state"?: Database["public"]['Enums']["campaign_recipient_state"],"updated_at"?: string,"zone"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "campaign_recipients_campaign_id_fkey"
      columns: ["campaign_id"]
isOneToOne: false
      referencedRelation: "campaigns"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "campaign_recipients_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customer_list"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "campaign_recipients_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customers"
      referencedColumns: ["id"]
    }
                  ]
                },"campaigns": {
                  Row: {
                    "attribution_days": number,"created_at": string,"created_by": string | null,"finished_at": string | null,"id": string,"local_date": string | null,"local_time": string | null,"name": string,"schedule": Database["public"]['Enums']["campaign_schedule"],"segment_id": string,"send_at": string | null,"skip_empty_variables": boolean,"started_at": string | null,"started_by": string | null,"status": Database["public"]['Enums']["campaign_status"],"status_reason": string | null,"template_id": string,"updated_at": string,"variables": NonNullable<Json>
                  }
                  ComputedFields: never
                  Insert: {
                    "attribution_days"?: number,"created_at"?: string,"created_by"?: string | null,"finished_at"?: string | null,"id"?: string,"local_date"?: string | null,"local_time"?: string | null,"name": string,"schedule"?: Database["public"]['Enums']["campaign_schedule"],"segment_id": string,"send_at"?: string | null,"skip_empty_variables"?: boolean,"started_at"?: string | null,"started_by"?: string | null,"status"?: Database["public"]['Enums']["campaign_status"],"status_reason"?: string | null,"template_id": string,"updated_at"?: string,"variables"?: NonNullable<Json>
                  }
                  Update: {
                    "attribution_days"?: number,"created_at"?: string,"created_by"?: string | null,"finished_at"?: string | null,"id"?: string,"local_date"?: string | null,"local_time"?: string | null,"name"?: string,"schedule"?: Database["public"]['Enums']["campaign_schedule"],"segment_id"?: string,"send_at"?: string | null,"skip_empty_variables"?: boolean,"started_at"?: string | null,"started_by"?: string | null,"status"?: Database["public"]['Enums']["campaign_status"],"status_reason"?: string | null,"template_id"?: string,"updated_at"?: string,"variables"?: NonNullable<Json>
                  }
                  Relationships: [
                    {
      foreignKeyName: "campaigns_created_by_fkey"
      columns: ["created_by"]
isOneToOne: false
      referencedRelation: "team_members"
      referencedColumns: ["user_id"]
    },{
      foreignKeyName: "campaigns_segment_id_fkey"
      columns: ["segment_id"]
isOneToOne: false
      referencedRelation: "segments"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "campaigns_started_by_fkey"
      columns: ["started_by"]
isOneToOne: false
      referencedRelation: "team_members"
      referencedColumns: ["user_id"]
    },{
      foreignKeyName: "campaigns_template_id_fkey"
      columns: ["template_id"]
isOneToOne: false
      referencedRelation: "email_templates"
      referencedColumns: ["id"]
    }
                  ]
                },"consent_events": {
                  Row: {
                    "actor_id": string | null,"channel": Database["public"]['Enums']["consent_channel"],"customer_id": string,"customer_owner_id": string | null,"evidence": NonNullable<Json>,"id": number,"note": string | null,"occurred_at": string,"purpose": Database["public"]['Enums']["consent_purpose"],"recorded_at": string,"source": Database["public"]['Enums']["consent_source"],"status": Database["public"]['Enums']["consent_status"]
                  }
                  ComputedFields: never
                  Insert: {
                    "actor_id"?: string | null,"channel": Database["public"]['Enums']["consent_channel"],"customer_id": string,"customer_owner_id"?: string | null,"evidence"?: NonNullable<Json>,"id"?: never,"note"?: string | null,"occurred_at"?: string,"purpose": Database["public"]['Enums']["consent_purpose"],"recorded_at"?: string,"source": Database["public"]['Enums']["consent_source"],"status": Database["public"]['Enums']["consent_status"]
                  }
                  Update: {
                    "actor_id"?: string | null,"channel"?: Database["public"]['Enums']["consent_channel"],"customer_id"?: string,"customer_owner_id"?: string | null,"evidence"?: NonNullable<Json>,"id"?: never,"note"?: string | null,"occurred_at"?: string,"purpose"?: Database["public"]['Enums']["consent_purpose"],"recorded_at"?: string,"source"?: Database["public"]['Enums']["consent_source"],"status"?: Database["public"]['Enums']["consent_status"]
                  }
                  Relationships: [
                    {
      foreignKeyName: "consent_events_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customer_list"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "consent_events_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customers"
      referencedColumns: ["id"]
    }
                  ]
                },"countries": {
                  Row: {
                    "code": string,"name": string
                  }
                  ComputedFields: never
                  Insert: {
                    "code": string,"name": string
                  }
                  Update: {
                    "code"?: string,"name"?: string
                  }
                  Relationships: [
                    
                  ]
                },"currencies": {
                  Row: {
                    "code": string,"minor_units": number,"name": string
                  }
                  ComputedFields: never
                  Insert: {
                    "code": string,"minor_units": number,"name": string
                  }
                  Update: {
                    "code"?: string,"minor_units"?: number,"name"?: string
                  }
                  Relationships: [
                    
                  ]
                },"custom_field_definitions": {
                  Row: {
                    "active": boolean,"created_at": string,"help_text": string | null,"id": string,"key": string,"label": string,"options": (string)[],"position": number,"required": boolean,"type": Database["public"]['Enums']["custom_field_type"],"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "active"?: boolean,"created_at"?: string,"help_text"?: string | null,"id"?: string,"key": string,"label": string,"options"?: (string)[],"position"?: number,"required"?: boolean,"type": Database["public"]['Enums']["custom_field_type"],"updated_at"?: string
                  }
                  Update: {
                    "active"?: boolean,"created_at"?: string,"help_text"?: string | null,"id"?: string,"key"?: string,"label"?: string,"options"?: (string)[],"position"?: number,"required"?: boolean,"type"?: Database["public"]['Enums']["custom_field_type"],"updated_at"?: string
                  }
                  Relationships: [
                    
                  ]
                },"customer_external_ids": {
                  Row: {
                    "created_at": string,"customer_id": string,"external_id": number,"shop_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"customer_id": string,"external_id": number,"shop_id": string
                  }
                  Update: {
                    "created_at"?: string,"customer_id"?: string,"external_id"?: number,"shop_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "customer_external_ids_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customer_list"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "customer_external_ids_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customers"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "customer_external_ids_shop_id_fkey"
      columns: ["shop_id"]
isOneToOne: false
      referencedRelation: "shops"
      referencedColumns: ["id"]
    }
                  ]
                },"customer_scores": {
                  Row: {
                    "churn_ratio": number | null,"churn_reasons": NonNullable<Json>,"churn_risk": string,"churn_summary": string,"computed_at": string,"customer_id": string,"days_since_last_order": number | null,"expected_gap_days": number | null,"frequency_score": number | null,"gap_basis": string | null,"monetary_score": number | null,"recency_score": number | null,"rfm_group": string,"unopened_emails": number
                  }
                  ComputedFields: never
                  Insert: {
                    "churn_ratio"?: number | null,"churn_reasons"?: NonNullable<Json>,"churn_risk": string,"churn_summary"?: string,"computed_at"?: string,"customer_id": string,"days_since_last_order"?: number | null,"expected_gap_days"?: number | null,"frequency_score"?: number | null,"gap_basis"?: string | null,"monetary_score"?: number | null,"recency_score"?: number | null,"rfm_group": string,"unopened_emails"?: number
                  }
                  Update: {
                    "churn_ratio"?: number | null,"churn_reasons"?: NonNullable<Json>,"churn_risk"?: string,"churn_summary"?: string,"computed_at"?: string,"customer_id"?: string,"days_since_last_order"?: number | null,"expected_gap_days"?: number | null,"frequency_score"?: number | null,"gap_basis"?: string | null,"monetary_score"?: number | null,"recency_score"?: number | null,"rfm_group"?: string,"unopened_emails"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "customer_scores_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: true
      referencedRelation: "customer_list"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "customer_scores_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: true
      referencedRelation: "customers"
      referencedColumns: ["id"]
    }
                  ]
                },"customer_tags": {
                  Row: {
                    "created_at": string,"created_by": string | null,"customer_id": string,"customer_owner_id": string | null,"tag_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"created_by"?: string | null,"customer_id": string,"customer_owner_id"?: string | null,"tag_id": string
                  }
                  Update: {
                    "created_at"?: string,"created_by"?: string | null,"customer_id"?: string,"customer_owner_id"?: string | null,"tag_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "customer_tags_created_by_fkey"
      columns: ["created_by"]
isOneToOne: false
      referencedRelation: "team_members"
      referencedColumns: ["user_id"]
    },{
      foreignKeyName: "customer_tags_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customer_list"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "customer_tags_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customers"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "customer_tags_tag_id_fkey"
      columns: ["tag_id"]
isOneToOne: false
      referencedRelation: "tag_usage"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "customer_tags_tag_id_fkey"
      columns: ["tag_id"]
isOneToOne: false
      referencedRelation: "tags"
      referencedColumns: ["id"]
    }
                  ]
                },"customers": {
                  Row: {
                    "auth_user_id": string | null,"average_order_value": number | null,"city": string | null,"company": string | null,"country": string | null,"created_at": string,"currency": string | null,"custom_fields": NonNullable<Json>,"email": string | null,"favourite_brands": (string)[],"first_name": string | null,"first_order_at": string | null,"full_name": string | null,"id": string,"language": string | null,"last_name": string | null,"last_order_at": string | null,"lifecycle_stage": string,"lifetime_value": number,"order_count": number,"owner_id": string | null,"phone": string | null,"postal_code": string | null,"region": string | null,"source": string,"status": Database["public"]['Enums']["customer_status"],"style_interests": (string)[],"timezone": string | null,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "auth_user_id"?: string | null,"average_order_value"?: never,"city"?: string | null,"company"?: string | null,"country"?: string | null,"created_at"?: string,"currency"?: string | null,"custom_fields"?: NonNullable<Json>,"email"?: string | null,"favourite_brands"?: (string)[],"first_name"?: string | null,"first_order_at"?: string | null,"full_name"?: never,"id"?: string,"language"?: string | null,"last_name"?: string | null,"last_order_at"?: string | null,"lifecycle_stage"?: string,"lifetime_value"?: number,"order_count"?: number,"owner_id"?: string | null,"phone"?: string | null,"postal_code"?: string | null,"region"?: string | null,"source"?: string,"status"?: Database["public"]['Enums']["customer_status"],"style_interests"?: (string)[],"timezone"?: string | null,"updated_at"?: string
                  }
                  Update: {
                    "auth_user_id"?: string | null,"average_order_value"?: never,"city"?: string | null,"company"?: string | null,"country"?: string | null,"created_at"?: string,"currency"?: string | null,"custom_fields"?: NonNullable<Json>,"email"?: string | null,"favourite_brands"?: (string)[],"first_name"?: string | null,"first_order_at"?: string | null,"full_name"?: never,"id"?: string,"language"?: string | null,"last_name"?: string | null,"last_order_at"?: string | null,"lifecycle_stage"?: string,"lifetime_value"?: number,"order_count"?: number,"owner_id"?: string | null,"phone"?: string | null,"postal_code"?: string | null,"region"?: string | null,"source"?: string,"status"?: Database["public"]['Enums']["customer_status"],"style_interests"?: (string)[],"timezone"?: string | null,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "customers_country_fkey"
      columns: ["country"]
isOneToOne: false
      referencedRelation: "countries"
      referencedColumns: ["code"]
    },{
      foreignKeyName: "customers_currency_fkey"
      columns: ["currency"]
isOneToOne: false
      referencedRelation: "currencies"
      referencedColumns: ["code"]
    },{
      foreignKeyName: "customers_language_fkey"
      columns: ["language"]
isOneToOne: false
      referencedRelation: "languages"
      referencedColumns: ["code"]
    },{
      foreignKeyName: "customers_lifecycle_stage_fkey"
      columns: ["lifecycle_stage"]
isOneToOne: false
      referencedRelation: "lifecycle_stages"
      referencedColumns: ["key"]
    },{
      foreignKeyName: "customers_owner_id_fkey"
      columns: ["owner_id"]
isOneToOne: false
      referencedRelation: "team_members"
      referencedColumns: ["user_id"]
    }
                  ]
                },"deal_events": {
                  Row: {
                    "actor_id": string | null,"customer_id": string,"deal_id": string,"event": string,"from_stage_id": string | null,"id": number,"occurred_at": string,"reason": string | null,"title": string,"to_stage_id": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "actor_id"?: string | null,"customer_id": string,"deal_id": string,"event": string,"from_stage_id"?: string | null,"id"?: never,"occurred_at"?: string,"reason"?: string | null,"title": string,"to_stage_id"?: string | null
                  }
                  Update: {
                    "actor_id"?: string | null,"customer_id"?: string,"deal_id"?: string,"event"?: string,"from_stage_id"?: string | null,"id"?: never,"occurred_at"?: string,"reason"?: string | null,"title"?: string,"to_stage_id"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "deal_events_actor_id_fkey"
      columns: ["actor_id"]
isOneToOne: false
      referencedRelation: "team_members"
      referencedColumns: ["user_id"]
    },{
      foreignKeyName: "deal_events_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customer_list"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "deal_events_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customers"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "deal_events_deal_id_fkey"
      columns: ["deal_id"]
isOneToOne: false
      referencedRelation: "deals"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "deal_events_from_stage_id_fkey"
      columns: ["from_stage_id"]
isOneToOne: false
      referencedRelation: "deal_stages"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "deal_events_to_stage_id_fkey"
      columns: ["to_stage_id"]
isOneToOne: false
      referencedRelation: "deal_stages"
      referencedColumns: ["id"]
    }
                  ]
                },"deal_stages": {
                  Row: {
                    "created_at": string,"id": string,"is_lost": boolean,"is_won": boolean,"name": string,"names": NonNullable<Json>,"pipeline_id": string,"position": number,"probability": number,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"id"?: string,"is_lost"?: boolean,"is_won"?: boolean,"name": string,"names"?: NonNullable<Json>,"pipeline_id"?: string,"position": number,"probability"?: number,"updated_at"?: string
                  }
                  Update: {
                    "created_at"?: string,"id"?: string,"is_lost"?: boolean,"is_won"?: boolean,"name"?: string,"names"?: NonNullable<Json>,"pipeline_id"?: string,"position"?: number,"probability"?: number,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "deal_stages_pipeline_id_fkey"
      columns: ["pipeline_id"]
isOneToOne: false
      referencedRelation: "pipelines"
      referencedColumns: ["id"]
    }
                  ]
                },"deals": {
                  Row: {
                    "amount": number,"amount_base": number | null,"close_reason": string | null,"closed_at": string | null,"created_at": string,"currency": string,"customer_id": string,"customer_owner_id": string | null,"expected_close": string | null,"id": string,"notes": string | null,"owner_id": string | null,"position": number,"probability": number,"stage_entered_at": string,"stage_id": string,"title": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "amount"?: number,"amount_base"?: number | null,"close_reason"?: string | null,"closed_at"?: string | null,"created_at"?: string,"currency"?: string,"customer_id": string,"customer_owner_id"?: string | null,"expected_close"?: string | null,"id"?: string,"notes"?: string | null,"owner_id"?: string | null,"position"?: number,"probability": number,"stage_entered_at"?: string,"stage_id": string,"title": string,"updated_at"?: string
                  }
                  Update: {
                    "amount"?: number,"amount_base"?: number | null,"close_reason"?: string | null,"closed_at"?: string | null,"created_at"?: string,"currency"?: string,"customer_id"?: string,"customer_owner_id"?: string | null,"expected_close"?: string | null,"id"?: string,"notes"?: string | null,"owner_id"?: string | null,"position"?: number,"probability"?: number,"stage_entered_at"?: string,"stage_id"?: string,"title"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "deals_currency_fkey"
      columns: ["currency"]
isOneToOne: false
      referencedRelation: "currencies"
      referencedColumns: ["code"]
    },{
      foreignKeyName: "deals_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customer_list"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "deals_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customers"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "deals_owner_id_fkey"
      columns: ["owner_id"]
isOneToOne: false
      referencedRelation: "team_members"
      referencedColumns: ["user_id"]
    },{
      foreignKeyName: "deals_stage_id_fkey"
      columns: ["stage_id"]
isOneToOne: false
      referencedRelation: "deal_stages"
      referencedColumns: ["id"]
    }
                  ]
                },"email_events": {
                  Row: {
                    "alert_id": number | null,"campaign_recipient_id": number | null,"customer_id": string | null,"email": string,"event": string,"id": number,"message_id": string | null,"occurred_at": string,"payload": NonNullable<Json>,"reason": string | null,"received_at": string,"sg_event_id": string,"url": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "alert_id"?: number | null,"campaign_recipient_id"?: number | null,"customer_id"?: string | null,"email": string,"event": string,"id"?: never,"message_id"?: string | null,"occurred_at": string,"payload": NonNullable<Json>,"reason"?: string | null,"received_at"?: string,"sg_event_id": string,"url"?: string | null
                  }
                  Update: {
                    "alert_id"?: number | null,"campaign_recipient_id"?: number | null,"customer_id"?: string | null,"email"?: string,"event"?: string,"id"?: never,"message_id"?: string | null,"occurred_at"?: string,"payload"?: NonNullable<Json>,"reason"?: string | null,"received_at"?: string,"sg_event_id"?: string,"url"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "email_events_alert_id_fkey"
      columns: ["alert_id"]
isOneToOne: false
      referencedRelation: "alert_attributed_orders"
      referencedColumns: ["alert_id"]
    },{
      foreignKeyName: "email_events_alert_id_fkey"
      columns: ["alert_id"]
isOneToOne: false
      referencedRelation: "alert_log"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "email_events_campaign_recipient_id_fkey"
      columns: ["campaign_recipient_id"]
isOneToOne: false
      referencedRelation: "campaign_recipients"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "email_events_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customer_list"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "email_events_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customers"
      referencedColumns: ["id"]
    }
                  ]
                },"email_suppressions": {
                  Row: {
                    "created_at": string,"email": string,"reason": string,"source_event_id": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"email": string,"reason": string,"source_event_id"?: string | null
                  }
                  Update: {
                    "created_at"?: string,"email"?: string,"reason"?: string,"source_event_id"?: string | null
                  }
                  Relationships: [
                    
                  ]
                },"email_template_variables": {
                  Row: {
                    "description": string,"example": string,"name": string
                  }
                  ComputedFields: never
                  Insert: {
                    "description": string,"example": string,"name": string
                  }
                  Update: {
                    "description"?: string,"example"?: string,"name"?: string
                  }
                  Relationships: [
                    
                  ]
                },"email_template_variants": {
                  Row: {
                    "body_html": string,"body_text": string,"created_at": string,"id": string,"language": string,"subject": string,"template_id": string,"updated_at": string,"version": number
                  }
                  ComputedFields: never
                  Insert: {
                    "body_html": string,"body_text": string,"created_at"?: string,"id"?: string,"language": string,"subject": string,"template_id": string,"updated_at"?: string,"version"?: number
                  }
                  Update: {
                    "body_html"?: string,"body_text"?: string,"created_at"?: string,"id"?: string,"language"?: string,"subject"?: string,"template_id"?: string,"updated_at"?: string,"version"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "email_template_variants_language_fkey"
      columns: ["language"]
isOneToOne: false
      referencedRelation: "languages"
      referencedColumns: ["code"]
    },{
      foreignKeyName: "email_template_variants_template_id_fkey"
      columns: ["template_id"]
isOneToOne: false
      referencedRelation: "email_templates"
      referencedColumns: ["id"]
    }
                  ]
                },"email_template_versions": {
                  Row: {
                    "body_html": string,"body_text": string,"created_at": string,"created_by": string | null,"id": string,"language": string,"subject": string,"template_id": string,"variant_id": string | null,"version": number
                  }
                  ComputedFields: never
                  Insert: {
                    "body_html": string,"body_text": string,"created_at"?: string,"created_by"?: string | null,"id"?: string,"language": string,"subject": string,"template_id": string,"variant_id"?: string | null,"version": number
                  }
                  Update: {
                    "body_html"?: string,"body_text"?: string,"created_at"?: string,"created_by"?: string | null,"id"?: string,"language"?: string,"subject"?: string,"template_id"?: string,"variant_id"?: string | null,"version"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "email_template_versions_language_fkey"
      columns: ["language"]
isOneToOne: false
      referencedRelation: "languages"
      referencedColumns: ["code"]
    },{
      foreignKeyName: "email_template_versions_template_id_fkey"
      columns: ["template_id"]
isOneToOne: false
      referencedRelation: "email_templates"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "email_template_versions_variant_id_fkey"
      columns: ["variant_id"]
isOneToOne: false
      referencedRelation: "email_template_variants"
      referencedColumns: ["id"]
    }
                  ]
                },"email_templates": {
                  Row: {
                    "category": string,"created_at": string,"created_by": string | null,"description": string | null,"id": string,"key": string,"name": string,"purpose": Database["public"]['Enums']["email_purpose"],"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "category"?: string,"created_at"?: string,"created_by"?: string | null,"description"?: string | null,"id"?: string,"key": string,"name": string,"purpose"?: Database["public"]['Enums']["email_purpose"],"updated_at"?: string
                  }
                  Update: {
                    "category"?: string,"created_at"?: string,"created_by"?: string | null,"description"?: string | null,"id"?: string,"key"?: string,"name"?: string,"purpose"?: Database["public"]['Enums']["email_purpose"],"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "email_templates_created_by_fkey"
      columns: ["created_by"]
isOneToOne: false
      referencedRelation: "team_members"
      referencedColumns: ["user_id"]
    }
                  ]
                },"exchange_rates": {
                  Row: {
                    "created_at": string,"currency": string,"rate_date": string,"rate_to_base": number,"source": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"currency": string,"rate_date": string,"rate_to_base": number,"source"?: string,"updated_at"?: string
                  }
                  Update: {
                    "created_at"?: string,"currency"?: string,"rate_date"?: string,"rate_to_base"?: number,"source"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "exchange_rates_currency_fkey"
      columns: ["currency"]
isOneToOne: false
      referencedRelation: "currencies"
      referencedColumns: ["code"]
    }
                  ]
                },"export_log": {
                  Row: {
                    "actor_id": string,"exported_at": string,"filters": NonNullable<Json>,"id": number,"kind": string,"row_count": number
                  }
                  ComputedFields: never
                  Insert: {
                    "actor_id"?: string,"exported_at"?: string,"filters"?: NonNullable<Json>,"id"?: never,"kind": string,"row_count": number
                  }
                  Update: {
                    "actor_id"?: string,"exported_at"?: string,"filters"?: NonNullable<Json>,"id"?: never,"kind"?: string,"row_count"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "export_log_actor_id_fkey"
      columns: ["actor_id"]
isOneToOne: false
      referencedRelation: "team_members"
      referencedColumns: ["user_id"]
    }
                  ]
                },"favorites": {
                  Row: {
                    "created_at": string,"currency": string,"customer_id": string,"customer_owner_id": string | null,"id": string,"price_at_favorite": number,"variant_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"currency": string,"customer_id": string,"customer_owner_id"?: string | null,"id"?: string,"price_at_favorite": number,"variant_id": string
                  }
                  Update: {
                    "created_at"?: string,"currency"?: string,"customer_id"?: string,"customer_owner_id"?: string | null,"id"?: string,"price_at_favorite"?: number,"variant_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "favorites_currency_fkey"
      columns: ["currency"]
isOneToOne: false
      referencedRelation: "currencies"
      referencedColumns: ["code"]
    },{
      foreignKeyName: "favorites_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customer_list"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "favorites_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customers"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "favorites_variant_id_fkey"
      columns: ["variant_id"]
isOneToOne: false
      referencedRelation: "product_variants"
      referencedColumns: ["id"]
    }
                  ]
                },"flow_enrolments": {
                  Row: {
                    "attempts": number,"current_step": string | null,"customer_id": string,"entered_at": string,"enters_once": boolean,"entry_key": string,"exit_reason": string | null,"finished_at": string | null,"flow_id": string,"id": string,"last_error": string | null,"next_run_at": string,"state": string,"trigger_event": NonNullable<Json>
                  }
                  ComputedFields: never
                  Insert: {
                    "attempts"?: number,"current_step"?: string | null,"customer_id": string,"entered_at"?: string,"enters_once"?: boolean,"entry_key": string,"exit_reason"?: string | null,"finished_at"?: string | null,"flow_id": string,"id"?: string,"last_error"?: string | null,"next_run_at"?: string,"state"?: string,"trigger_event"?: NonNullable<Json>
                  }
                  Update: {
                    "attempts"?: number,"current_step"?: string | null,"customer_id"?: string,"entered_at"?: string,"enters_once"?: boolean,"entry_key"?: string,"exit_reason"?: string | null,"finished_at"?: string | null,"flow_id"?: string,"id"?: string,"last_error"?: string | null,"next_run_at"?: string,"state"?: string,"trigger_event"?: NonNullable<Json>
                  }
                  Relationships: [
                    {
      foreignKeyName: "flow_enrolments_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customer_list"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "flow_enrolments_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customers"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "flow_enrolments_flow_id_fkey"
      columns: ["flow_id"]
isOneToOne: false
      referencedRelation: "flows"
      referencedColumns: ["id"]
    }
                  ]
                },"flow_step_runs": {
                  Row: {
                    "customer_id": string,"data": NonNullable<Json>,"detail": string | null,"enrolment_id": string,"flow_id": string,"id": number,"message_id": string | null,"occurred_at": string,"outcome": string,"purpose": Database["public"]['Enums']["email_purpose"] | null,"send_claimed_until": string | null,"step_key": string,"step_kind": string
                  }
                  ComputedFields: never
                  Insert: {
                    "customer_id": string,"data"?: NonNullable<Json>,"detail"?: string | null,"enrolment_id": string,"flow_id": string,"id"?: never,"message_id"?: string | null,"occurred_at"?: string,"outcome": string,"purpose"?: Database["public"]['Enums']["email_purpose"] | null,"send_claimed_until"?: string | null,"step_key": string,"step_kind": string
                  }
                  Update: {
                    "customer_id"?: string,"data"?: NonNullable<Json>,"detail"?: string | null,"enrolment_id"?: string,"flow_id"?: string,"id"?: never,"message_id"?: string | null,"occurred_at"?: string,"outcome"?: string,"purpose"?: Database["public"]['Enums']["email_purpose"] | null,"send_claimed_until"?: string | null,"step_key"?: string,"step_kind"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "flow_step_runs_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customer_list"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "flow_step_runs_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customers"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "flow_step_runs_enrolment_id_fkey"
      columns: ["enrolment_id"]
isOneToOne: false
      referencedRelation: "flow_enrolments"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "flow_step_runs_flow_id_fkey"
      columns: ["flow_id"]
isOneToOne: false
      referencedRelation: "flows"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "flow_step_runs_message_id_fkey"
      columns: ["message_id"]
isOneToOne: false
      referencedRelation: "messages"
      referencedColumns: ["id"]
    }
                  ]
                },"flows": {
                  Row: {
                    "activated_at": string | null,"also_on": (string)[],"created_at": string,"created_by": string | null,"description": string | null,"enrols_since": string | null,"first_step": string | null,"goal": Json | null,"id": string,"name": string,"preset": string | null,"status": Database["public"]['Enums']["flow_status"],"step_index": NonNullable<Json>,"steps": NonNullable<Json>,"trigger": NonNullable<Json>,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "activated_at"?: string | null,"also_on"?: (string)[],"created_at"?: string,"created_by"?: string | null,"description"?: string | null,"enrols_since"?: string | null,"first_step"?: string | null,"goal"?: Json | null,"id"?: string,"name": string,"preset"?: string | null,"status"?: Database["public"]['Enums']["flow_status"],"step_index"?: NonNullable<Json>,"steps"?: NonNullable<Json>,"trigger": NonNullable<Json>,"updated_at"?: string
                  }
                  Update: {
                    "activated_at"?: string | null,"also_on"?: (string)[],"created_at"?: string,"created_by"?: string | null,"description"?: string | null,"enrols_since"?: string | null,"first_step"?: string | null,"goal"?: Json | null,"id"?: string,"name"?: string,"preset"?: string | null,"status"?: Database["public"]['Enums']["flow_status"],"step_index"?: NonNullable<Json>,"steps"?: NonNullable<Json>,"trigger"?: NonNullable<Json>,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "flows_created_by_fkey"
      columns: ["created_by"]
isOneToOne: false
      referencedRelation: "team_members"
      referencedColumns: ["user_id"]
    }
                  ]
                },"inbound_emails": {
                  Row: {
                    "attachments": NonNullable<Json>,"body_html": string | null,"body_text": string | null,"customer_id": string | null,"dedupe_key": string,"details": NonNullable<Json>,"error": string | null,"from_address": string | null,"headers": string | null,"id": string,"linked_by": string | null,"matched_by": string | null,"message_id": string | null,"received_at": string,"state": string,"subject": string | null,"thread_id": string | null,"to_address": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "attachments"?: NonNullable<Json>,"body_html"?: string | null,"body_text"?: string | null,"customer_id"?: string | null,"dedupe_key": string,"details"?: NonNullable<Json>,"error"?: string | null,"from_address"?: string | null,"headers"?: string | null,"id"?: string,"linked_by"?: string | null,"matched_by"?: string | null,"message_id"?: string | null,"received_at"?: string,"state": string,"subject"?: string | null,"thread_id"?: string | null,"to_address"?: string | null
                  }
                  Update: {
                    "attachments"?: NonNullable<Json>,"body_html"?: string | null,"body_text"?: string | null,"customer_id"?: string | null,"dedupe_key"?: string,"details"?: NonNullable<Json>,"error"?: string | null,"from_address"?: string | null,"headers"?: string | null,"id"?: string,"linked_by"?: string | null,"matched_by"?: string | null,"message_id"?: string | null,"received_at"?: string,"state"?: string,"subject"?: string | null,"thread_id"?: string | null,"to_address"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "inbound_emails_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customer_list"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "inbound_emails_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customers"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "inbound_emails_message_id_fkey"
      columns: ["message_id"]
isOneToOne: false
      referencedRelation: "messages"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "inbound_emails_thread_id_fkey"
      columns: ["thread_id"]
isOneToOne: false
      referencedRelation: "message_threads"
      referencedColumns: ["id"]
    }
                  ]
                },"inventory_levels": {
                  Row: {
                    "available": number | null,"external_updated_at": string,"location_id": string,"updated_at": string,"variant_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "available"?: number | null,"external_updated_at": string,"location_id": string,"updated_at"?: string,"variant_id": string
                  }
                  Update: {
                    "available"?: number | null,"external_updated_at"?: string,"location_id"?: string,"updated_at"?: string,"variant_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "inventory_levels_location_id_fkey"
      columns: ["location_id"]
isOneToOne: false
      referencedRelation: "shop_locations"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "inventory_levels_variant_id_fkey"
      columns: ["variant_id"]
isOneToOne: false
      referencedRelation: "product_variants"
      referencedColumns: ["id"]
    }
                  ]
                },"languages": {
                  Row: {
                    "code": string,"name": string
                  }
                  ComputedFields: never
                  Insert: {
                    "code": string,"name": string
                  }
                  Update: {
                    "code"?: string,"name"?: string
                  }
                  Relationships: [
                    
                  ]
                },"lifecycle_rules": {
                  Row: {
                    "at_risk_min_ratio": number,"churned_after_days": number,"enabled": boolean,"id": boolean,"updated_at": string,"vip_top_percent": number
                  }
                  ComputedFields: never
                  Insert: {
                    "at_risk_min_ratio"?: number,"churned_after_days"?: number,"enabled"?: boolean,"id"?: boolean,"updated_at"?: string,"vip_top_percent"?: number
                  }
                  Update: {
                    "at_risk_min_ratio"?: number,"churned_after_days"?: number,"enabled"?: boolean,"id"?: boolean,"updated_at"?: string,"vip_top_percent"?: number
                  }
                  Relationships: [
                    
                  ]
                },"lifecycle_stages": {
                  Row: {
                    "is_system": boolean,"key": string,"label": string,"position": number
                  }
                  ComputedFields: never
                  Insert: {
                    "is_system"?: boolean,"key": string,"label": string,"position": number
                  }
                  Update: {
                    "is_system"?: boolean,"key"?: string,"label"?: string,"position"?: number
                  }
                  Relationships: [
                    
                  ]
                },"message_threads": {
                  Row: {
                    "assignee_id": string | null,"channel": string,"closed_at": string | null,"created_at": string,"created_by": string | null,"customer_id": string,"customer_owner_id": string | null,"first_inbound_at": string | null,"first_response_at": string | null,"id": string,"last_inbound_at": string | null,"last_message_at": string | null,"last_outbound_at": string | null,"read_state": string | null,"reply_token": string,"status": Database["public"]['Enums']["thread_status"],"subject": string,"unread_count": number,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "assignee_id"?: string | null,"channel"?: string,"closed_at"?: string | null,"created_at"?: string,"created_by"?: string | null,"customer_id": string,"customer_owner_id"?: string | null,"first_inbound_at"?: string | null,"first_response_at"?: string | null,"id"?: string,"last_inbound_at"?: string | null,"last_message_at"?: string | null,"last_outbound_at"?: string | null,"read_state"?: never,"reply_token"?: string,"status"?: Database["public"]['Enums']["thread_status"],"subject": string,"unread_count"?: number,"updated_at"?: string
                  }
                  Update: {
                    "assignee_id"?: string | null,"channel"?: string,"closed_at"?: string | null,"created_at"?: string,"created_by"?: string | null,"customer_id"?: string,"customer_owner_id"?: string | null,"first_inbound_at"?: string | null,"first_response_at"?: string | null,"id"?: string,"last_inbound_at"?: string | null,"last_message_at"?: string | null,"last_outbound_at"?: string | null,"read_state"?: never,"reply_token"?: string,"status"?: Database["public"]['Enums']["thread_status"],"subject"?: string,"unread_count"?: number,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "message_threads_assignee_id_fkey"
      columns: ["assignee_id"]
isOneToOne: false
      referencedRelation: "team_members"
      referencedColumns: ["user_id"]
    },{
      foreignKeyName: "message_threads_created_by_fkey"
      columns: ["created_by"]
isOneToOne: false
      referencedRelation: "team_members"
      referencedColumns: ["user_id"]
    },{
      foreignKeyName: "message_threads_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customer_list"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "message_threads_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customers"
      referencedColumns: ["id"]
    }
                  ]
                },"messages": {
                  Row: {
                    "attachments": NonNullable<Json>,"body_html": string | null,"body_text": string | null,"created_at": string,"customer_id": string,"customer_owner_id": string | null,"direction": Database["public"]['Enums']["communication_direction"],"error": string | null,"from_address": string,"id": string,"internet_message_id": string | null,"provider_message_id": string | null,"read_at": string | null,"sent_at": string | null,"sent_by": string | null,"status": Database["public"]['Enums']["message_status"],"subject": string,"template_id": string | null,"template_version_id": string | null,"thread_id": string,"to_address": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "attachments"?: NonNullable<Json>,"body_html"?: string | null,"body_text"?: string | null,"created_at"?: string,"customer_id": string,"customer_owner_id"?: string | null,"direction": Database["public"]['Enums']["communication_direction"],"error"?: string | null,"from_address": string,"id"?: string,"internet_message_id"?: string | null,"provider_message_id"?: string | null,"read_at"?: string | null,"sent_at"?: string | null,"sent_by"?: string | null,"status"?: Database["public"]['Enums']["message_status"],"subject": string,"template_id"?: string | null,"template_version_id"?: string | null,"thread_id": string,"to_address": string,"updated_at"?: string
                  }
                  Update: {
                    "attachments"?: NonNullable<Json>,"body_html"?: string | null,"body_text"?: string | null,"created_at"?: string,"customer_id"?: string,"customer_owner_id"?: string | null,"direction"?: Database["public"]['Enums']["communication_direction"],"error"?: string | null,"from_address"?: string,"id"?: string,"internet_message_id"?: string | null,"provider_message_id"?: string | null,"read_at"?: string | null,"sent_at"?: string | null,"sent_by"?: string | null,"status"?: Database["public"]['Enums']["message_status"],"subject"?: string,"template_id"?: string | null,"template_version_id"?: string | null,"thread_id"?: string,"to_address"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "messages_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customer_list"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "messages_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customers"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "messages_sent_by_fkey"
      columns: ["sent_by"]
isOneToOne: false
      referencedRelation: "team_members"
      referencedColumns: ["user_id"]
    },{
      foreignKeyName: "messages_template_id_fkey"
      columns: ["template_id"]
isOneToOne: false
      referencedRelation: "email_templates"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "messages_template_version_id_fkey"
      columns: ["template_version_id"]
isOneToOne: false
      referencedRelation: "email_template_versions"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "messages_thread_id_fkey"
      columns: ["thread_id"]
isOneToOne: false
      referencedRelation: "message_threads"
      referencedColumns: ["id"]
    }
                  ]
                },"notification_emails": {
                  Row: {
                    "attempts": number,"claimed_until": string | null,"created_at": string,"digest_date": string | null,"error": string | null,"id": number,"message_id": string | null,"not_before": string,"notification_id": string | null,"recipient_id": string,"sent_at": string | null,"state": string
                  }
                  ComputedFields: never
                  Insert: {
                    "attempts"?: number,"claimed_until"?: string | null,"created_at"?: string,"digest_date"?: string | null,"error"?: string | null,"id"?: never,"message_id"?: string | null,"not_before"?: string,"notification_id"?: string | null,"recipient_id": string,"sent_at"?: string | null,"state"?: string
                  }
                  Update: {
                    "attempts"?: number,"claimed_until"?: string | null,"created_at"?: string,"digest_date"?: string | null,"error"?: string | null,"id"?: never,"message_id"?: string | null,"not_before"?: string,"notification_id"?: string | null,"recipient_id"?: string,"sent_at"?: string | null,"state"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "notification_emails_notification_id_fkey"
      columns: ["notification_id"]
isOneToOne: true
      referencedRelation: "notifications"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "notification_emails_recipient_id_fkey"
      columns: ["recipient_id"]
isOneToOne: false
      referencedRelation: "team_members"
      referencedColumns: ["user_id"]
    }
                  ]
                },"notification_preferences": {
                  Row: {
                    "delivery": Database["public"]['Enums']["notification_delivery"],"kind": Database["public"]['Enums']["notification_kind"],"updated_at": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "delivery": Database["public"]['Enums']["notification_delivery"],"kind": Database["public"]['Enums']["notification_kind"],"updated_at"?: string,"user_id"?: string
                  }
                  Update: {
                    "delivery"?: Database["public"]['Enums']["notification_delivery"],"kind"?: Database["public"]['Enums']["notification_kind"],"updated_at"?: string,"user_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "notification_preferences_user_id_fkey"
      columns: ["user_id"]
isOneToOne: false
      referencedRelation: "team_members"
      referencedColumns: ["user_id"]
    }
                  ]
                },"notifications": {
                  Row: {
                    "body": string | null,"created_at": string,"data": NonNullable<Json>,"digest_email_id": number | null,"email_pending": boolean,"emailed_at": string | null,"id": string,"kind": Database["public"]['Enums']["notification_kind"],"link": string | null,"read_at": string | null,"recipient_id": string,"title": string
                  }
                  ComputedFields: never
                  Insert: {
                    "body"?: string | null,"created_at"?: string,"data"?: NonNullable<Json>,"digest_email_id"?: number | null,"email_pending"?: boolean,"emailed_at"?: string | null,"id"?: string,"kind": Database["public"]['Enums']["notification_kind"],"link"?: string | null,"read_at"?: string | null,"recipient_id": string,"title": string
                  }
                  Update: {
                    "body"?: string | null,"created_at"?: string,"data"?: NonNullable<Json>,"digest_email_id"?: number | null,"email_pending"?: boolean,"emailed_at"?: string | null,"id"?: string,"kind"?: Database["public"]['Enums']["notification_kind"],"link"?: string | null,"read_at"?: string | null,"recipient_id"?: string,"title"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "notifications_digest_email_id_fkey"
      columns: ["digest_email_id"]
isOneToOne: false
      referencedRelation: "notification_emails"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "notifications_recipient_id_fkey"
      columns: ["recipient_id"]
isOneToOne: false
      referencedRelation: "team_members"
      referencedColumns: ["user_id"]
    }
                  ]
                },"order_fulfillments": {
                  Row: {
                    "created_at": string,"external_created_at": string | null,"external_id": number,"external_updated_at": string,"id": string,"line_items": NonNullable<Json>,"location_external_id": number | null,"name": string | null,"order_id": string,"shipment_status": string | null,"status": string | null,"tracking_company": string | null,"tracking_number": string | null,"tracking_url": string | null,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"external_created_at"?: string | null,"external_id": number,"external_updated_at": string,"id"?: string,"line_items"?: NonNullable<Json>,"location_external_id"?: number | null,"name"?: string | null,"order_id": string,"shipment_status"?: string | null,"status"?: string | null,"tracking_company"?: string | null,"tracking_number"?: string | null,"tracking_url"?: string | null,"updated_at"?: string
                  }
                  Update: {
                    "created_at"?: string,"external_created_at"?: string | null,"external_id"?: number,"external_updated_at"?: string,"id"?: string,"line_items"?: NonNullable<Json>,"location_external_id"?: number | null,"name"?: string | null,"order_id"?: string,"shipment_status"?: string | null,"status"?: string | null,"tracking_company"?: string | null,"tracking_number"?: string | null,"tracking_url"?: string | null,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "order_fulfillments_order_id_fkey"
      columns: ["order_id"]
isOneToOne: false
      referencedRelation: "alert_attributed_orders"
      referencedColumns: ["order_id"]
    },{
      foreignKeyName: "order_fulfillments_order_id_fkey"
      columns: ["order_id"]
isOneToOne: false
      referencedRelation: "orders"
      referencedColumns: ["id"]
    }
                  ]
                },"order_items": {
                  Row: {
                    "created_at": string,"currency": string,"customer_owner_id": string | null,"discount_total": number,"external_id": number | null,"id": string,"order_id": string,"product_id": string | null,"quantity": number,"sku": string | null,"title": string,"total": number,"unit_price": number,"updated_at": string,"variant_id": string | null,"variant_title": string | null,"vendor": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"currency": string,"customer_owner_id"?: string | null,"discount_total"?: number,"external_id"?: number | null,"id"?: string,"order_id": string,"product_id"?: string | null,"quantity": number,"sku"?: string | null,"title": string,"total": number,"unit_price": number,"updated_at"?: string,"variant_id"?: string | null,"variant_title"?: string | null,"vendor"?: string | null
                  }
                  Update: {
                    "created_at"?: string,"currency"?: string,"customer_owner_id"?: string | null,"discount_total"?: number,"external_id"?: number | null,"id"?: string,"order_id"?: string,"product_id"?: string | null,"quantity"?: number,"sku"?: string | null,"title"?: string,"total"?: number,"unit_price"?: number,"updated_at"?: string,"variant_id"?: string | null,"variant_title"?: string | null,"vendor"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "order_items_currency_fkey"
      columns: ["currency"]
isOneToOne: false
      referencedRelation: "currencies"
      referencedColumns: ["code"]
    },{
      foreignKeyName: "order_items_order_id_fkey"
      columns: ["order_id"]
isOneToOne: false
      referencedRelation: "alert_attributed_orders"
      referencedColumns: ["order_id"]
    },{
      foreignKeyName: "order_items_order_id_fkey"
      columns: ["order_id"]
isOneToOne: false
      referencedRelation: "orders"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "order_items_product_id_fkey"
      columns: ["product_id"]
isOneToOne: false
      referencedRelation: "products"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "order_items_variant_id_fkey"
      columns: ["variant_id"]
isOneToOne: false
      referencedRelation: "product_variants"
      referencedColumns: ["id"]
    }
                  ]
                },"orders": {
                  Row: {
                    "cancel_reason": string | null,"cancelled_at": string | null,"carrier": string | null,"counts_as_purchase": boolean | null,"created_at": string,"currency": string,"customer_id": string | null,"customer_owner_id": string | null,"discount_total": number,"exchange_rate": number,"exchange_rate_date": string | null,"exchange_rate_stale": boolean,"external_id": number | null,"external_updated_at": string | null,"financial_status": Database["public"]['Enums']["order_financial_status"],"fulfillment_status": Database["public"]['Enums']["order_fulfillment_status"],"id": string,"net_total_base": number | null,"note": string | null,"order_number": string,"placed_at": string,"processed_at": string | null,"refunded_base": number,"refunded_total": number,"shipping_address1": string | null,"shipping_address2": string | null,"shipping_city": string | null,"shipping_country": string | null,"shipping_name": string | null,"shipping_phone": string | null,"shipping_postal_code": string | null,"shipping_region": string | null,"shipping_total": number,"shop_id": string | null,"source": string,"subtotal": number,"tax_total": number,"total": number,"total_base": number,"tracking_number": string | null,"tracking_url": string | null,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "cancel_reason"?: string | null,"cancelled_at"?: string | null,"carrier"?: string | null,"counts_as_purchase"?: never,"created_at"?: string,"currency": string,"customer_id"?: string | null,"customer_owner_id"?: string | null,"discount_total"?: number,"exchange_rate": number,"exchange_rate_date"?: string | null,"exchange_rate_stale"?: boolean,"external_id"?: number | null,"external_updated_at"?: string | null,"financial_status"?: Database["public"]['Enums']["order_financial_status"],"fulfillment_status"?: Database["public"]['Enums']["order_fulfillment_status"],"id"?: string,"net_total_base"?: never,"note"?: string | null,"order_number"?: string,"placed_at"?: string,"processed_at"?: string | null,"refunded_base"?: number,"refunded_total"?: number,"shipping_address1"?: string | null,"shipping_address2"?: string | null,"shipping_city"?: string | null,"shipping_country"?: string | null,"shipping_name"?: string | null,"shipping_phone"?: string | null,"shipping_postal_code"?: string | null,"shipping_region"?: string | null,"shipping_total"?: number,"shop_id"?: string | null,"source"?: string,"subtotal"?: number,"tax_total"?: number,"total": number,"total_base": number,"tracking_number"?: string | null,"tracking_url"?: string | null,"updated_at"?: string
                  }
                  Update: {
                    "cancel_reason"?: string | null,"cancelled_at"?: string | null,"carrier"?: string | null,"counts_as_purchase"?: never,"created_at"?: string,"currency"?: string,"customer_id"?: string | null,"customer_owner_id"?: string | null,"discount_total"?: number,"exchange_rate"?: number,"exchange_rate_date"?: string | null,"exchange_rate_stale"?: boolean,"external_id"?: number | null,"external_updated_at"?: string | null,"financial_status"?: Database["public"]['Enums']["order_financial_status"],"fulfillment_status"?: Database["public"]['Enums']["order_fulfillment_status"],"id"?: string,"net_total_base"?: never,"note"?: string | null,"order_number"?: string,"placed_at"?: string,"processed_at"?: string | null,"refunded_base"?: number,"refunded_total"?: number,"shipping_address1"?: string | null,"shipping_address2"?: string | null,"shipping_city"?: string | null,"shipping_country"?: string | null,"shipping_name"?: string | null,"shipping_phone"?: string | null,"shipping_postal_code"?: string | null,"shipping_region"?: string | null,"shipping_total"?: number,"shop_id"?: string | null,"source"?: string,"subtotal"?: number,"tax_total"?: number,"total"?: number,"total_base"?: number,"tracking_number"?: string | null,"tracking_url"?: string | null,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "orders_currency_fkey"
      columns: ["currency"]
isOneToOne: false
      referencedRelation: "currencies"
      referencedColumns: ["code"]
    },{
      foreignKeyName: "orders_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customer_list"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "orders_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customers"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "orders_shipping_country_fkey"
      columns: ["shipping_country"]
isOneToOne: false
      referencedRelation: "countries"
      referencedColumns: ["code"]
    },{
      foreignKeyName: "orders_shop_id_fkey"
      columns: ["shop_id"]
isOneToOne: false
      referencedRelation: "shops"
      referencedColumns: ["id"]
    }
                  ]
                },"pipelines": {
                  Row: {
                    "created_at": string,"id": string,"name": string,"names": NonNullable<Json>,"position": number,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"id"?: string,"name": string,"names"?: NonNullable<Json>,"position": number,"updated_at"?: string
                  }
                  Update: {
                    "created_at"?: string,"id"?: string,"name"?: string,"names"?: NonNullable<Json>,"position"?: number,"updated_at"?: string
                  }
                  Relationships: [
                    
                  ]
                },"price_history": {
                  Row: {
                    "changed_at": string,"changed_by": string | null,"currency": string,"id": number,"new_price": number,"old_currency": string | null,"old_price": number | null,"source": string,"variant_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "changed_at"?: string,"changed_by"?: string | null,"currency": string,"id"?: never,"new_price": number,"old_currency"?: string | null,"old_price"?: number | null,"source": string,"variant_id": string
                  }
                  Update: {
                    "changed_at"?: string,"changed_by"?: string | null,"currency"?: string,"id"?: never,"new_price"?: number,"old_currency"?: string | null,"old_price"?: number | null,"source"?: string,"variant_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "price_history_currency_fkey"
      columns: ["currency"]
isOneToOne: false
      referencedRelation: "currencies"
      referencedColumns: ["code"]
    },{
      foreignKeyName: "price_history_old_currency_fkey"
      columns: ["old_currency"]
isOneToOne: false
      referencedRelation: "currencies"
      referencedColumns: ["code"]
    },{
      foreignKeyName: "price_history_variant_id_fkey"
      columns: ["variant_id"]
isOneToOne: false
      referencedRelation: "product_variants"
      referencedColumns: ["id"]
    }
                  ]
                },"privacy_requests": {
                  Row: {
                    "assignee_id": string | null,"completed_at": string | null,"created_at": string,"customer_id": string | null,"due_at": string,"id": string,"kind": string,"note": string | null,"refusal_reason": string | null,"requested_at": string,"shopify_request_id": number | null,"source": string,"status": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "assignee_id"?: string | null,"completed_at"?: string | null,"created_at"?: string,"customer_id"?: string | null,"due_at"?: string,"id"?: string,"kind": string,"note"?: string | null,"refusal_reason"?: string | null,"requested_at"?: string,"shopify_request_id"?: number | null,"source": string,"status"?: string,"updated_at"?: string
                  }
                  Update: {
                    "assignee_id"?: string | null,"completed_at"?: string | null,"created_at"?: string,"customer_id"?: string | null,"due_at"?: string,"id"?: string,"kind"?: string,"note"?: string | null,"refusal_reason"?: string | null,"requested_at"?: string,"shopify_request_id"?: number | null,"source"?: string,"status"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "privacy_requests_assignee_id_fkey"
      columns: ["assignee_id"]
isOneToOne: false
      referencedRelation: "team_members"
      referencedColumns: ["user_id"]
    },{
      foreignKeyName: "privacy_requests_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customer_list"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "privacy_requests_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customers"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "privacy_requests_shopify_request_id_fkey"
      columns: ["shopify_request_id"]
isOneToOne: false
      referencedRelation: "shopify_privacy_requests"
      referencedColumns: ["id"]
    }
                  ]
                },"product_alert_overrides": {
                  Row: {
                    "created_at": string,"id": string,"price_drop_threshold_percent": number,"product_id": string | null,"updated_at": string,"variant_id": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"id"?: string,"price_drop_threshold_percent": number,"product_id"?: string | null,"updated_at"?: string,"variant_id"?: string | null
                  }
                  Update: {
                    "created_at"?: string,"id"?: string,"price_drop_threshold_percent"?: number,"product_id"?: string | null,"updated_at"?: string,"variant_id"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "product_alert_overrides_product_id_fkey"
      columns: ["product_id"]
isOneToOne: true
      referencedRelation: "products"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "product_alert_overrides_variant_id_fkey"
      columns: ["variant_id"]
isOneToOne: true
      referencedRelation: "product_variants"
      referencedColumns: ["id"]
    }
                  ]
                },"product_variants": {
                  Row: {
                    "compare_at_price": number | null,"created_at": string,"currency": string,"external_id": number | null,"id": string,"image_url": string | null,"inventory_item_id": number | null,"inventory_quantity": number | null,"position": number,"price": number,"product_id": string,"sku": string | null,"title": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "compare_at_price"?: number | null,"created_at"?: string,"currency": string,"external_id"?: number | null,"id"?: string,"image_url"?: string | null,"inventory_item_id"?: number | null,"inventory_quantity"?: number | null,"position"?: number,"price": number,"product_id": string,"sku"?: string | null,"title"?: string,"updated_at"?: string
                  }
                  Update: {
                    "compare_at_price"?: number | null,"created_at"?: string,"currency"?: string,"external_id"?: number | null,"id"?: string,"image_url"?: string | null,"inventory_item_id"?: number | null,"inventory_quantity"?: number | null,"position"?: number,"price"?: number,"product_id"?: string,"sku"?: string | null,"title"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "product_variants_currency_fkey"
      columns: ["currency"]
isOneToOne: false
      referencedRelation: "currencies"
      referencedColumns: ["code"]
    },{
      foreignKeyName: "product_variants_product_id_fkey"
      columns: ["product_id"]
isOneToOne: false
      referencedRelation: "products"
      referencedColumns: ["id"]
    }
                  ]
                },"products": {
                  Row: {
                    "affiliate_item_id": string | null,"affiliate_network": string | null,"affiliate_url": string | null,"created_at": string,"external_id": number | null,"external_updated_at": string | null,"handle": string | null,"id": string,"image_url": string | null,"product_type": string | null,"shop_id": string | null,"source": string,"status": Database["public"]['Enums']["product_status"],"tags": (string)[],"title": string,"updated_at": string,"vendor": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "affiliate_item_id"?: string | null,"affiliate_network"?: string | null,"affiliate_url"?: string | null,"created_at"?: string,"external_id"?: number | null,"external_updated_at"?: string | null,"handle"?: string | null,"id"?: string,"image_url"?: string | null,"product_type"?: string | null,"shop_id"?: string | null,"source"?: string,"status"?: Database["public"]['Enums']["product_status"],"tags"?: (string)[],"title": string,"updated_at"?: string,"vendor"?: string | null
                  }
                  Update: {
                    "affiliate_item_id"?: string | null,"affiliate_network"?: string | null,"affiliate_url"?: string | null,"created_at"?: string,"external_id"?: number | null,"external_updated_at"?: string | null,"handle"?: string | null,"id"?: string,"image_url"?: string | null,"product_type"?: string | null,"shop_id"?: string | null,"source"?: string,"status"?: Database["public"]['Enums']["product_status"],"tags"?: (string)[],"title"?: string,"updated_at"?: string,"vendor"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "products_shop_id_fkey"
      columns: ["shop_id"]
isOneToOne: false
      referencedRelation: "shops"
      referencedColumns: ["id"]
    }
                  ]
                },"refunds": {
                  Row: {
                    "amount": number,"amount_base": number,"created_at": string,"currency": string,"customer_owner_id": string | null,"external_id": number | null,"id": string,"order_id": string,"reason": string | null,"refunded_at": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "amount": number,"amount_base": number,"created_at"?: string,"currency": string,"customer_owner_id"?: string | null,"external_id"?: number | null,"id"?: string,"order_id": string,"reason"?: string | null,"refunded_at"?: string,"updated_at"?: string
                  }
                  Update: {
                    "amount"?: number,"amount_base"?: number,"created_at"?: string,"currency"?: string,"customer_owner_id"?: string | null,"external_id"?: number | null,"id"?: string,"order_id"?: string,"reason"?: string | null,"refunded_at"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "refunds_currency_fkey"
      columns: ["currency"]
isOneToOne: false
      referencedRelation: "currencies"
      referencedColumns: ["code"]
    },{
      foreignKeyName: "refunds_order_id_fkey"
      columns: ["order_id"]
isOneToOne: false
      referencedRelation: "alert_attributed_orders"
      referencedColumns: ["order_id"]
    },{
      foreignKeyName: "refunds_order_id_fkey"
      columns: ["order_id"]
isOneToOne: false
      referencedRelation: "orders"
      referencedColumns: ["id"]
    }
                  ]
                },"saved_views": {
                  Row: {
                    "created_at": string,"id": string,"list": string,"name": string,"owner_id": string,"shared": boolean,"state": NonNullable<Json>,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"id"?: string,"list"?: string,"name": string,"owner_id"?: string,"shared"?: boolean,"state"?: NonNullable<Json>,"updated_at"?: string
                  }
                  Update: {
                    "created_at"?: string,"id"?: string,"list"?: string,"name"?: string,"owner_id"?: string,"shared"?: boolean,"state"?: NonNullable<Json>,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "saved_views_owner_id_fkey"
      columns: ["owner_id"]
isOneToOne: false
      referencedRelation: "team_members"
      referencedColumns: ["user_id"]
    }
                  ]
                },"segment_actions": {
                  Row: {
                    "action": string,"actor_id": string,"batches": number,"changed": number,"created_at": string,"error": string | null,"finished_at": string | null,"id": string,"processed": number,"segment_id": string | null,"status": string,"total": number,"updated_at": string,"value": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "action": string,"actor_id": string,"batches"?: number,"changed"?: number,"created_at"?: string,"error"?: string | null,"finished_at"?: string | null,"id"?: string,"processed"?: number,"segment_id"?: string | null,"status"?: string,"total": number,"updated_at"?: string,"value"?: string | null
                  }
                  Update: {
                    "action"?: string,"actor_id"?: string,"batches"?: number,"changed"?: number,"created_at"?: string,"error"?: string | null,"finished_at"?: string | null,"id"?: string,"processed"?: number,"segment_id"?: string | null,"status"?: string,"total"?: number,"updated_at"?: string,"value"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "segment_actions_segment_id_fkey"
      columns: ["segment_id"]
isOneToOne: false
      referencedRelation: "segments"
      referencedColumns: ["id"]
    }
                  ]
                },"segment_membership_events": {
                  Row: {
                    "customer_id": string,"event": string,"id": number,"occurred_at": string,"segment_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "customer_id": string,"event": string,"id"?: never,"occurred_at"?: string,"segment_id": string
                  }
                  Update: {
                    "customer_id"?: string,"event"?: string,"id"?: never,"occurred_at"?: string,"segment_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "segment_membership_events_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customer_list"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "segment_membership_events_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customers"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "segment_membership_events_segment_id_fkey"
      columns: ["segment_id"]
isOneToOne: false
      referencedRelation: "segments"
      referencedColumns: ["id"]
    }
                  ]
                },"segment_memberships": {
                  Row: {
                    "customer_id": string,"joined_at": string,"segment_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "customer_id": string,"joined_at"?: string,"segment_id": string
                  }
                  Update: {
                    "customer_id"?: string,"joined_at"?: string,"segment_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "segment_memberships_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customer_list"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "segment_memberships_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customers"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "segment_memberships_segment_id_fkey"
      columns: ["segment_id"]
isOneToOne: false
      referencedRelation: "segments"
      referencedColumns: ["id"]
    }
                  ]
                },"segment_snapshot_members": {
                  Row: {
                    "customer_id": string,"snapshot_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "customer_id": string,"snapshot_id": string
                  }
                  Update: {
                    "customer_id"?: string,"snapshot_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "segment_snapshot_members_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customer_list"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "segment_snapshot_members_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customers"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "segment_snapshot_members_snapshot_id_fkey"
      columns: ["snapshot_id"]
isOneToOne: false
      referencedRelation: "segment_snapshots"
      referencedColumns: ["id"]
    }
                  ]
                },"segment_snapshots": {
                  Row: {
                    "id": string,"member_count": number,"name": string,"segment_id": string,"taken_at": string,"taken_by": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "id"?: string,"member_count": number,"name": string,"segment_id": string,"taken_at"?: string,"taken_by"?: string | null
                  }
                  Update: {
                    "id"?: string,"member_count"?: number,"name"?: string,"segment_id"?: string,"taken_at"?: string,"taken_by"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "segment_snapshots_segment_id_fkey"
      columns: ["segment_id"]
isOneToOne: false
      referencedRelation: "segments"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "segment_snapshots_taken_by_fkey"
      columns: ["taken_by"]
isOneToOne: false
      referencedRelation: "team_members"
      referencedColumns: ["user_id"]
    }
                  ]
                },"segments": {
                  Row: {
                    "created_at": string,"description": string,"id": string,"name": string,"owner_id": string,"preset": string | null,"refreshed_at": string | null,"rules": NonNullable<Json>,"shared": boolean,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"description"?: string,"id"?: string,"name": string,"owner_id"?: string,"preset"?: string | null,"refreshed_at"?: string | null,"rules"?: NonNullable<Json>,"shared"?: boolean,"updated_at"?: string
                  }
                  Update: {
                    "created_at"?: string,"description"?: string,"id"?: string,"name"?: string,"owner_id"?: string,"preset"?: string | null,"refreshed_at"?: string | null,"rules"?: NonNullable<Json>,"shared"?: boolean,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "segments_owner_id_fkey"
      columns: ["owner_id"]
isOneToOne: false
      referencedRelation: "team_members"
      referencedColumns: ["user_id"]
    }
                  ]
                },"shop_connections": {
                  Row: {
                    "auth_kind": string,"client_id": string | null,"connected_at": string,"connected_by": string | null,"previous_secret_valid_until": string | null,"scopes": (string)[],"secret_last4": string,"shop_id": string,"token_error": string | null,"token_error_at": string | null,"token_expires_at": string | null,"token_last4": string,"token_renewed_at": string | null,"updated_at": string,"webhook_url": string,"webhooks": NonNullable<Json>,"webhooks_checked_at": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "auth_kind": string,"client_id"?: string | null,"connected_at"?: string,"connected_by"?: string | null,"previous_secret_valid_until"?: string | null,"scopes"?: (string)[],"secret_last4": string,"shop_id": string,"token_error"?: string | null,"token_error_at"?: string | null,"token_expires_at"?: string | null,"token_last4": string,"token_renewed_at"?: string | null,"updated_at"?: string,"webhook_url": string,"webhooks"?: NonNullable<Json>,"webhooks_checked_at"?: string | null
                  }
                  Update: {
                    "auth_kind"?: string,"client_id"?: string | null,"connected_at"?: string,"connected_by"?: string | null,"previous_secret_valid_until"?: string | null,"scopes"?: (string)[],"secret_last4"?: string,"shop_id"?: string,"token_error"?: string | null,"token_error_at"?: string | null,"token_expires_at"?: string | null,"token_last4"?: string,"token_renewed_at"?: string | null,"updated_at"?: string,"webhook_url"?: string,"webhooks"?: NonNullable<Json>,"webhooks_checked_at"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "shop_connections_shop_id_fkey"
      columns: ["shop_id"]
isOneToOne: true
      referencedRelation: "shops"
      referencedColumns: ["id"]
    }
                  ]
                },"shop_import_errors": {
                  Row: {
                    "created_at": string,"id": number,"import_id": string,"phase": string,"reason": string,"shopify_id": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "created_at"?: string,"id"?: never,"import_id": string,"phase": string,"reason": string,"shopify_id"?: string | null
                  }
                  Update: {
                    "created_at"?: string,"id"?: never,"import_id"?: string,"phase"?: string,"reason"?: string,"shopify_id"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "shop_import_errors_import_id_fkey"
      columns: ["import_id"]
isOneToOne: false
      referencedRelation: "shop_imports"
      referencedColumns: ["id"]
    }
                  ]
                },"shop_imports": {
                  Row: {
                    "bulk_operation_id": string | null,"bulk_url": string | null,"byte_offset": number,"chunks": number,"finished_at": string | null,"id": string,"kind": string,"last_error": string | null,"leased_until": string | null,"phase": string,"phase_total": number | null,"requested_by": string | null,"row_chunks": number,"rows_done": number,"rows_failed": number,"rows_fixed": number,"rows_total": number | null,"shop_id": string,"since": string | null,"started_at": string,"status": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "bulk_operation_id"?: string | null,"bulk_url"?: string | null,"byte_offset"?: number,"chunks"?: number,"finished_at"?: string | null,"id"?: string,"kind"?: string,"last_error"?: string | null,"leased_until"?: string | null,"phase"?: string,"phase_total"?: number | null,"requested_by"?: string | null,"row_chunks"?: number,"rows_done"?: number,"rows_failed"?: number,"rows_fixed"?: number,"rows_total"?: number | null,"shop_id": string,"since"?: string | null,"started_at"?: string,"status"?: string,"updated_at"?: string
                  }
                  Update: {
                    "bulk_operation_id"?: string | null,"bulk_url"?: string | null,"byte_offset"?: number,"chunks"?: number,"finished_at"?: string | null,"id"?: string,"kind"?: string,"last_error"?: string | null,"leased_until"?: string | null,"phase"?: string,"phase_total"?: number | null,"requested_by"?: string | null,"row_chunks"?: number,"rows_done"?: number,"rows_failed"?: number,"rows_fixed"?: number,"rows_total"?: number | null,"shop_id"?: string,"since"?: string | null,"started_at"?: string,"status"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "shop_imports_shop_id_fkey"
      columns: ["shop_id"]
isOneToOne: false
      referencedRelation: "shops"
      referencedColumns: ["id"]
    }
                  ]
                },"shop_locations": {
                  Row: {
                    "active": boolean,"address1": string | null,"address2": string | null,"city": string | null,"country": string | null,"created_at": string,"deleted_at": string | null,"external_id": number,"external_updated_at": string | null,"id": string,"name": string | null,"postal_code": string | null,"region": string | null,"shop_id": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "active"?: boolean,"address1"?: string | null,"address2"?: string | null,"city"?: string | null,"country"?: string | null,"created_at"?: string,"deleted_at"?: string | null,"external_id": number,"external_updated_at"?: string | null,"id"?: string,"name"?: string | null,"postal_code"?: string | null,"region"?: string | null,"shop_id": string,"updated_at"?: string
                  }
                  Update: {
                    "active"?: boolean,"address1"?: string | null,"address2"?: string | null,"city"?: string | null,"country"?: string | null,"created_at"?: string,"deleted_at"?: string | null,"external_id"?: number,"external_updated_at"?: string | null,"id"?: string,"name"?: string | null,"postal_code"?: string | null,"region"?: string | null,"shop_id"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "shop_locations_country_fkey"
      columns: ["country"]
isOneToOne: false
      referencedRelation: "countries"
      referencedColumns: ["code"]
    },{
      foreignKeyName: "shop_locations_shop_id_fkey"
      columns: ["shop_id"]
isOneToOne: false
      referencedRelation: "shops"
      referencedColumns: ["id"]
    }
                  ]
                },"shopify_privacy_requests": {
                  Row: {
                    "completed_at": string | null,"customer_id": string | null,"data_request_id": number | null,"delivery_id": number | null,"email": string | null,"id": number,"kind": string,"note": string | null,"order_external_ids": (number)[],"received_at": string,"shop_id": string,"shopify_customer_id": number | null,"status": string
                  }
                  ComputedFields: never
                  Insert: {
                    "completed_at"?: string | null,"customer_id"?: string | null,"data_request_id"?: number | null,"delivery_id"?: number | null,"email"?: string | null,"id"?: never,"kind": string,"note"?: string | null,"order_external_ids"?: (number)[],"received_at"?: string,"shop_id": string,"shopify_customer_id"?: number | null,"status"?: string
                  }
                  Update: {
                    "completed_at"?: string | null,"customer_id"?: string | null,"data_request_id"?: number | null,"delivery_id"?: number | null,"email"?: string | null,"id"?: never,"kind"?: string,"note"?: string | null,"order_external_ids"?: (number)[],"received_at"?: string,"shop_id"?: string,"shopify_customer_id"?: number | null,"status"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "shopify_privacy_requests_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customer_list"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "shopify_privacy_requests_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customers"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "shopify_privacy_requests_delivery_id_fkey"
      columns: ["delivery_id"]
isOneToOne: false
      referencedRelation: "webhook_deliveries"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "shopify_privacy_requests_shop_id_fkey"
      columns: ["shop_id"]
isOneToOne: false
      referencedRelation: "shops"
      referencedColumns: ["id"]
    }
                  ]
                },"shops": {
                  Row: {
                    "active": boolean,"created_at": string,"currency": string,"default_language": string,"domain": string,"id": string,"name": string,"timezone": string,"updated_at": string,"webhook_secret_set_at": string | null
                  }
                  ComputedFields: never
                  Insert: {
                    "active"?: boolean,"created_at"?: string,"currency": string,"default_language"?: string,"domain": string,"id"?: string,"name": string,"timezone"?: string,"updated_at"?: string,"webhook_secret_set_at"?: string | null
                  }
                  Update: {
                    "active"?: boolean,"created_at"?: string,"currency"?: string,"default_language"?: string,"domain"?: string,"id"?: string,"name"?: string,"timezone"?: string,"updated_at"?: string,"webhook_secret_set_at"?: string | null
                  }
                  Relationships: [
                    {
      foreignKeyName: "shops_currency_fkey"
      columns: ["currency"]
isOneToOne: false
      referencedRelation: "currencies"
      referencedColumns: ["code"]
    },{
      foreignKeyName: "shops_default_language_fkey"
      columns: ["default_language"]
isOneToOne: false
      referencedRelation: "languages"
      referencedColumns: ["code"]
    }
                  ]
                },"stock_history": {
                  Row: {
                    "changed_at": string,"changed_by": string | null,"id": number,"new_quantity": number | null,"old_quantity": number | null,"source": string,"variant_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "changed_at"?: string,"changed_by"?: string | null,"id"?: never,"new_quantity"?: number | null,"old_quantity"?: number | null,"source": string,"variant_id": string
                  }
                  Update: {
                    "changed_at"?: string,"changed_by"?: string | null,"id"?: never,"new_quantity"?: number | null,"old_quantity"?: number | null,"source"?: string,"variant_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "stock_history_variant_id_fkey"
      columns: ["variant_id"]
isOneToOne: false
      referencedRelation: "product_variants"
      referencedColumns: ["id"]
    }
                  ]
                },"style_interests": {
                  Row: {
                    "active": boolean,"created_at": string,"key": string,"labels": NonNullable<Json>,"position": number,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "active"?: boolean,"created_at"?: string,"key": string,"labels"?: NonNullable<Json>,"position"?: number,"updated_at"?: string
                  }
                  Update: {
                    "active"?: boolean,"created_at"?: string,"key"?: string,"labels"?: NonNullable<Json>,"position"?: number,"updated_at"?: string
                  }
                  Relationships: [
                    
                  ]
                },"tags": {
                  Row: {
                    "colour": string,"created_at": string,"created_by": string | null,"description": string | null,"id": string,"name": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "colour"?: string,"created_at"?: string,"created_by"?: string | null,"description"?: string | null,"id"?: string,"name": string,"updated_at"?: string
                  }
                  Update: {
                    "colour"?: string,"created_at"?: string,"created_by"?: string | null,"description"?: string | null,"id"?: string,"name"?: string,"updated_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "tags_created_by_fkey"
      columns: ["created_by"]
isOneToOne: false
      referencedRelation: "team_members"
      referencedColumns: ["user_id"]
    }
                  ]
                },"task_reminders": {
                  Row: {
                    "activity_id": string,"remind_at": string,"sent_at": string
                  }
                  ComputedFields: never
                  Insert: {
                    "activity_id": string,"remind_at": string,"sent_at"?: string
                  }
                  Update: {
                    "activity_id"?: string,"remind_at"?: string,"sent_at"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "task_reminders_activity_id_fkey"
      columns: ["activity_id"]
isOneToOne: false
      referencedRelation: "activities"
      referencedColumns: ["id"]
    }
                  ]
                },"team_members": {
                  Row: {
                    "accepted_at": string | null,"active": boolean,"avatar_url": string | null,"created_at": string,"digest_hour": number,"email": string,"full_name": string,"language": string,"role": Database["public"]['Enums']["team_role"],"timezone": string,"updated_at": string,"user_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "accepted_at"?: string | null,"active"?: boolean,"avatar_url"?: string | null,"created_at"?: string,"digest_hour"?: number,"email": string,"full_name": string,"language"?: string,"role"?: Database["public"]['Enums']["team_role"],"timezone"?: string,"updated_at"?: string,"user_id": string
                  }
                  Update: {
                    "accepted_at"?: string | null,"active"?: boolean,"avatar_url"?: string | null,"created_at"?: string,"digest_hour"?: number,"email"?: string,"full_name"?: string,"language"?: string,"role"?: Database["public"]['Enums']["team_role"],"timezone"?: string,"updated_at"?: string,"user_id"?: string
                  }
                  Relationships: [
                    
                  ]
                },"webhook_deliveries": {
                  Row: {
                    "api_version": string,"applied_at": string | null,"attempts": number,"event_id": string,"id": number,"last_error": string | null,"next_attempt_at": string | null,"original_body": string | null,"outcome": string | null,"payload": NonNullable<Json>,"received_at": string,"record": Json | null,"shop_id": string,"status": Database["public"]['Enums']["webhook_delivery_status"],"topic": string,"triggered_at": string,"webhook_id": string
                  }
                  ComputedFields: never
                  Insert: {
                    "api_version": string,"applied_at"?: string | null,"attempts"?: number,"event_id": string,"id"?: never,"last_error"?: string | null,"next_attempt_at"?: string | null,"original_body"?: string | null,"outcome"?: string | null,"payload": NonNullable<Json>,"received_at"?: string,"record"?: Json | null,"shop_id": string,"status"?: Database["public"]['Enums']["webhook_delivery_status"],"topic": string,"triggered_at": string,"webhook_id": string
                  }
                  Update: {
                    "api_version"?: string,"applied_at"?: string | null,"attempts"?: number,"event_id"?: string,"id"?: never,"last_error"?: string | null,"next_attempt_at"?: string | null,"original_body"?: string | null,"outcome"?: string | null,"payload"?: NonNullable<Json>,"received_at"?: string,"record"?: Json | null,"shop_id"?: string,"status"?: Database["public"]['Enums']["webhook_delivery_status"],"topic"?: string,"triggered_at"?: string,"webhook_id"?: string
                  }
                  Relationships: [
                    {
      foreignKeyName: "webhook_deliveries_shop_id_fkey"
      columns: ["shop_id"]
isOneToOne: false
      referencedRelation: "shops"
      referencedColumns: ["id"]
    }
                  ]
                },"workspace_settings": {
                  Row: {
                    "alert_log_retention_days": number,"audit_log_retention_days": number,"base_currency": string,"default_language": string,"email_event_retention_days": number,"erasure_waits_for_open_orders": boolean,"export_log_retention_days": number,"id": boolean,"notification_retention_days": number,"postal_address": string | null,"privacy_request_retention_days": number,"require_mfa": boolean,"updated_at": string,"webhook_payload_retention_days": number
                  }
                  ComputedFields: never
                  Insert: {
                    "alert_log_retention_days"?: number,"audit_log_retention_days"?: number,"base_currency"?: string,"default_language"?: string,"email_event_retention_days"?: number,"erasure_waits_for_open_orders"?: boolean,"export_log_retention_days"?: number,"id"?: boolean,"notification_retention_days"?: number,"postal_address"?: string | null,"privacy_request_retention_days"?: number,"require_mfa"?: boolean,"updated_at"?: string,"webhook_payload_retention_days"?: number
                  }
                  Update: {
                    "alert_log_retention_days"?: number,"audit_log_retention_days"?: number,"base_currency"?: string,"default_language"?: string,"email_event_retention_days"?: number,"erasure_waits_for_open_orders"?: boolean,"export_log_retention_days"?: number,"id"?: boolean,"notification_retention_days"?: number,"postal_address"?: string | null,"privacy_request_retention_days"?: number,"require_mfa"?: boolean,"updated_at"?: string,"webhook_payload_retention_days"?: number
                  }
                  Relationships: [
                    {
      foreignKeyName: "workspace_settings_base_currency_fkey"
      columns: ["base_currency"]
isOneToOne: false
      referencedRelation: "currencies"
      referencedColumns: ["code"]
    },{
      foreignKeyName: "workspace_settings_default_language_fkey"
      columns: ["default_language"]
isOneToOne: false
      referencedRelation: "languages"
      referencedColumns: ["code"]
    }
                  ]
                }
          }
          Views: {
            "alert_attributed_orders": {
                  Row: {
                    "alert_id": number,"clicked_at": string | null,"currency": string,"customer_id": string | null,"kind": Database["public"]['Enums']["alert_kind"],"order_id": string,"placed_at": string,"revenue_base": number | null,"total": number
                  }
                  ComputedFields: never
                  Relationships: [
                    {
      foreignKeyName: "orders_currency_fkey"
      columns: ["currency"]
isOneToOne: false
      referencedRelation: "currencies"
      referencedColumns: ["code"]
    },{
      foreignKeyName: "orders_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customer_list"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "orders_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customers"
      referencedColumns: ["id"]
    }
                  ]
                },"customer_consents": {
                  Row: {
                    "actor_id": string | null,"channel": Database["public"]['Enums']["consent_channel"],"customer_id": string,"event_id": number,"granted": boolean | null,"purpose": Database["public"]['Enums']["consent_purpose"],"since": string,"source": Database["public"]['Enums']["consent_source"],"status": Database["public"]['Enums']["consent_status"]
                  }
                  ComputedFields: never
                  Relationships: [
                    {
      foreignKeyName: "consent_events_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customer_list"
      referencedColumns: ["id"]
    },{
      foreignKeyName: "consent_events_customer_id_fkey"
      columns: ["customer_id"]
isOneToOne: false
      referencedRelation: "customers"
      referencedColumns: ["id"]
    }
                  ]
                },"customer_list": {
                  Row: {
                    "average_order_value": number | null,"city": string | null,"company": string | null,"country": string | null,"created_at": string,"currency": string | null,"custom_fields": NonNullable<Json>,"email": string | null,"email_lower": string | null,"first_name": string | null,"first_order_at": string | null,"full_name": string | null,"id": string,"language": string | null,"last_name": string | null,"last_order_at": string | null,"lifecycle_stage": string,"lifetime_value": number,"order_count": number,"owner_id": string | null,"owner_name": string | null,"phone": string | null,"region": string | null,"source": string,"status": Database["public"]['Enums']["customer_status"],"style_interests": (string)[],"tag_names": (string)[] | null,"timezone": string | null,"updated_at": string
                  }
                  ComputedFields: never
                  Relationships: [
                    {
      foreignKeyName: "customers_country_fkey"
      columns: ["country"]
isOneToOne: false
      referencedRelation: "countries"
      referencedColumns: ["code"]
    },{
      foreignKeyName: "customers_currency_fkey"
      columns: ["currency"]
isOneToOne: false
      referencedRelation: "currencies"
      referencedColumns: ["code"]
    },{
      foreignKeyName: "customers_language_fkey"
      columns: ["language"]
isOneToOne: false
      referencedRelation: "languages"
      referencedColumns: ["code"]
    },{
      foreignKeyName: "customers_lifecycle_stage_fkey"
      columns: ["lifecycle_stage"]
isOneToOne: false
      referencedRelation: "lifecycle_stages"
      referencedColumns: ["key"]
    },{
      foreignKeyName: "customers_owner_id_fkey"
      columns: ["owner_id"]
isOneToOne: false
      referencedRelation: "team_members"
      referencedColumns: ["user_id"]
    }
                  ]
                },"customer_timeline": {
                  Row: {
                    "actor_id": string | null,"customer_id": string | null,"data": Json | null,"kind": string | null,"occurred_at": string | null,"ref_id": string | null,"source": string | null,"summary": string | null,"title": string | null
                  }
                  ComputedFields: never
                  Relationships: [
                    
                  ]
                },"tag_usage": {
                  Row: {
                    "colour": string,"created_at": string,"customer_count": number | null,"description": string | null,"id": string,"name": string,"updated_at": string
                  }
                  ComputedFields: never
                  Insert: {
                           "colour"?: string | null,"created_at"?: string | null,"customer_count"?: never,"description"?: string | null,"id"?: string | null,"name"?: string | null,"updated_at"?: string | null
                         }
                        Update: {
                           "colour"?: string | null,"created_at"?: string | null,"customer_count"?: never,"description"?: string | null,"id"?: string | null,"name"?: string | null,"updated_at"?: string | null
                         }
                        Relationships: [
                    
                  ]
                }
          }
          Functions: {
            "accept_team_invitation":
{ Args: Record<PropertyKey, never>; Returns: Database["public"]['Enums']["team_role"]
                           },
"act_on_segment":
{ Args: { "action": string,"segment_id": string,"value"?: string }; Returns: {
              "action": string,
"actor_id": string,
"batches": number,
"changed": number,
"created_at": string,
"error": string | null,
"finished_at": string | null,
"id": string,
"processed": number,
"segment_id": string | null,
"status": string,
"total": number,
"updated_at": string,
"value": string | null
            }
                          SetofOptions: {
        from: "*"
        to: "segment_actions"
        isOneToOne: true
        isSetofReturn: false
      } },
"activate_flow":
{ Args: { "enrol_existing": boolean,"flow_id": string }; Returns: Json
                           },
"affiliate_feed_apply":
{ Args: { "chunk_size"?: number,"run_id": string }; Returns: Json
                           },
"affiliate_feed_claim":
{ Args: { "lease_seconds"?: number,"only_feed"?: string }; Returns: {
              "feed_id": string,"feed_url": string,"field_map": Json,"format": string,"network": string,"phase": string,"run_id": string
            }[]
                           },
"affiliate_feed_fail":
{ Args: { "message": string,"run_id": string }; Returns: undefined
                           },
"affiliate_feed_release":
{ Args: { "run_id": string }; Returns: undefined
                           },
"affiliate_feed_stage":
{ Args: { "rows": Json,"run_id": string }; Returns: number
                           },
"affiliate_feed_staged":
{ Args: { "run_id": string }; Returns: undefined
                           },
"alert_revenue":
{ Args: { "end_at": string,"start_at": string }; Returns: {
              "alerts_sent": number,"base_currency": string,"click_through_rate": number,"clicked": number,"opened": number,"orders": number,"revenue_base": number
            }[]
                           },
"answer_access_request":
{ Args: { "request": string }; Returns: Json
                           },
"apply_webhook_delivery":
{ Args: { "delivery_id": number }; Returns: Json
                           },
"attach_inbound_files":
{ Args: { "files": Json,"inbound_id": string }; Returns: undefined
                           },
"audit_entries":
{ Args: { "action_filter"?: string,"actor"?: string,"before_id"?: number,"customer"?: string,"page_size"?: number,"since"?: string,"table_filter"?: string,"until"?: string }; Returns: {
              "action": string,"actor_id": string,"actor_name": string,"actor_role": string,"changes": Json,"id": number,"occurred_at": string,"row_id": string,"table_name": string
            }[]
                           },
"campaign_empty_variable_recipients":
{ Args: { "at"?: string,"campaign_id": string,"max_rows"?: number }; Returns: Json
                           },
"campaign_results":
{ Args: { "campaign_id": string,"now"?: string }; Returns: Json
                           },
"campaign_summary":
{ Args: { "at"?: string,"campaign_id": string }; Returns: Json
                           },
"cancel_campaign":
{ Args: { "campaign_id": string,"reason"?: string }; Returns: Database["public"]['Enums']["campaign_status"]
                           },
"cancel_segment_action":
{ Args: { "action_id": string }; Returns: {
              "action": string,
"actor_id": string,
"batches": number,
"changed": number,
"created_at": string,
"error": string | null,
"finished_at": string | null,
"id": string,
"processed": number,
"segment_id": string | null,
"status": string,
"total": number,
"updated_at": string,
"value": string | null
            }
                          SetofOptions: {
        from: "*"
        to: "segment_actions"
        isOneToOne: true
        isSetofReturn: false
      } },
"claim_campaign_batch":
{ Args: { "batch_size"?: number,"lease_seconds"?: number,"now"?: string }; Returns: Json
                           },
"claim_campaign_sends":
{ Args: { "batch_size"?: number,"lease_seconds"?: number,"now"?: string }; Returns: {
              "body_html": string,"body_text": string,"campaign_id": string,"customer_id": string,"email": string,"language": string,"name": string,"postal_address": string,"recipient_id": number,"send_key": string,"shop_name": string,"subject": string
            }[]
                           },
"claim_due_alerts":
{ Args: { "batch_size"?: number,"lease_seconds"?: number,"now"?: string }; Returns: {
              "alert_id": number,"brand": string,"currency": string,"customer_id": string,"email": string,"first_name": string,"image_url": string,"kind": Database["public"]['Enums']["alert_kind"],"language": string,"last_name": string,"new_price": number,"old_price": number,"product_title": string,"product_url": string,"shop_name": string,"stock_quantity": number,"variant_title": string
            }[]
                           },
"claim_erasure_files":
{ Args: { "batch"?: number }; Returns: {
              "bucket_id": string,"name": string,"object_id": string
            }[]
                           },
"claim_flow_emails":
{ Args: { "batch_size"?: number,"lease_seconds"?: number }; Returns: {
              "body_html": string,"body_text": string,"customer_id": string,"first_name": string,"last_name": string,"message_id": string,"purpose": Database["public"]['Enums']["email_purpose"],"send_key": string,"step_run_id": number,"subject": string,"template_key": string,"to_address": string
            }[]
                           },
"claim_notification_emails":
{ Args: { "batch_size"?: number,"lease_seconds"?: number,"now"?: string }; Returns: {
              "active": boolean,"digest_date": string,"email_id": number,"items": Json,"language": string,"recipient_email": string,"recipient_name": string,"timezone": string
            }[]
                           },
"compare_segment_snapshots":
{ Args: { "earlier": string,"later": string }; Returns: {
              "change": string,"customer_id": string
            }[]
                           },
"customer_languages":
{ Args: Record<PropertyKey, never>; Returns: {
              "customers": number,"language": string
            }[]
                           },
"customer_owner_drift":
{ Args: Record<PropertyKey, never>; Returns: {
              "customer_id": string,"customer_owner_id": string,"owner_id": string,"row_id": string,"table_name": string
            }[]
                           },
"dashboard_kpis":
{ Args: { "timezone"?: string }; Returns: {
              "average_order_value_this_month": number,"base_currency": string,"customers": number,"new_customers_last_month": number,"new_customers_this_month": number,"orders_last_month": number,"orders_this_month": number,"revenue_last_month": number,"revenue_this_month": number
            }[]
                           },
"email_permission":
{ Args: { "customer_id": string,"purpose": Database["public"]['Enums']["email_purpose"] }; Returns: {
              "allowed": boolean,"email": string,"reason": string
            }[]
                           },
"erase_customer":
{ Args: { "request": string }; Returns: Json
                           },
"exchange_rate_status":
{ Args: Record<PropertyKey, never>; Returns: {
              "age_days": number,"currency": string,"latest_rate_date": string,"stale": boolean
            }[]
                           },
"export_customers_csv":
{ Args: { "filters"?: Json,"labels"?: Json,"selected"?: (string)[] }; Returns: {
              "capped": boolean,"csv": string,"row_count": number
            }[]
                           },
"export_newsletter_optins_csv":
{ Args: { "labels"?: Json,"style"?: string }; Returns: {
              "capped": boolean,"csv": string,"row_count": number
            }[]
                           },
"finish_erasure_files":
{ Args: { "error"?: string,"failed"?: (string)[],"removed": (string)[] }; Returns: number
                           },
"import_ecb_rates":
{ Args: { "days": Json }; Returns: number
                           },
"in_doubt_campaign_sends":
{ Args: { "batch_size"?: number,"now"?: string,"settle_seconds"?: number }; Returns: {
              "email": string,"recipient_id": number,"send_key": string,"since": string
            }[]
                           },
"in_doubt_flow_emails":
{ Args: { "batch_size"?: number,"settle_seconds"?: number }; Returns: {
              "send_key": string,"step_run_id": number
            }[]
                           },
"ingest_shopify_webhook":
{ Args: { "api_version": string,"event_id": string,"mapped"?: Json,"original_body"?: string,"parse_error"?: string,"payload": Json,"shop_domain": string,"topic": string,"triggered_at": string,"webhook_id": string }; Returns: Json
                           },
"job_health":
{ Args: Record<PropertyKey, never>; Returns: {
              "active": boolean,"job_name": string,"last_error": string,"last_run_at": string,"last_status": string,"schedule": string
            }[]
                           },
"known_brands":
{ Args: { "prefix"?: string }; Returns: string[]
                           },
"link_inbound_email":
{ Args: { "customer_id": string,"inbound_id": string }; Returns: string
                           },
"link_portal_account":
{ Args: Record<PropertyKey, never>; Returns: string
                           },
"mark_all_notifications_read":
{ Args: Record<PropertyKey, never>; Returns: number
                           },
"move_deal":
{ Args: { "after_deal_id"?: string,"deal_id": string,"reason"?: string,"to_stage_id": string }; Returns: {
              "amount": number,
"amount_base": number | null,
"close_reason": string | null,
"closed_at": string | null,
"created_at": string,
"currency": string,
"customer_id": string,
"customer_owner_id": string | null,
"expected_close": string | null,
"id": string,
"notes": string | null,
"owner_id": string | null,
"position": number,
"probability": number,
"stage_entered_at": string,
"stage_id": string,
"title": string,
"updated_at": string
            }
                          SetofOptions: {
        from: "*"
        to: "deals"
        isOneToOne: true
        isSetofReturn: false
      } },
"my_data_export":
{ Args: Record<PropertyKey, never>; Returns: Json
                           },
"my_orders_csv":
{ Args: Record<PropertyKey, never>; Returns: string
                           },
"my_team_access":
{ Args: Record<PropertyKey, never>; Returns: {
              "has_verified_factor": boolean,"mfa_required": boolean,"role": Database["public"]['Enums']["team_role"],"session_aal": string,"state": string
            }[]
                           },
"orders_with_stale_rates":
{ Args: { "since": string }; Returns: {
              "currency": string,"order_id": string,"placed_at": string,"rate_date": string
            }[]
                           },
"pause_campaign":
{ Args: { "campaign_id": string,"reason"?: string }; Returns: Database["public"]['Enums']["campaign_status"]
                           },
"pipeline_board":
{ Args: { "close_from"?: string,"close_to"?: string,"customer"?: string,"max_amount"?: number,"min_amount"?: number,"owner"?: string,"per_column"?: number,"pipeline": string }; Returns: {
              "amount": number,"amount_base": number,"close_reason": string,"closed_at": string,"currency": string,"customer": Json,"customer_id": string,"expected_close": string,"id": string,"notes": string,"owner_id": string,"position": number,"probability": number,"stage_entered_at": string,"stage_id": string,"title": string
            }[]
                           },
"pipeline_forecast":
{ Args: { "close_from"?: string,"close_to"?: string,"customer"?: string,"max_amount"?: number,"min_amount"?: number,"owner"?: string,"pipeline": string }; Returns: {
              "amount_base": number,"close_month": string,"deals": number,"stage_id": string,"unpriced": number,"weighted_base": number
            }[]
                           },
"portal_catalogue":
{ Args: { "brand"?: string,"page_offset"?: number,"page_size"?: number,"search"?: string,"style"?: string }; Returns: {
              "currency": string,"favourite": boolean,"image_url": string,"in_stock": boolean,"price": number,"product_id": string,"product_type": string,"title": string,"variant_id": string,"vendor": string
            }[]
                           },
"portal_favorites":
{ Args: { "sort"?: string }; Returns: {
              "available": boolean,"change_percent": number,"currency": string,"favorite_id": string,"favorited_at": string,"image_url": string,"in_stock": boolean,"price_at_favorite": number,"price_now": number,"product_id": string,"restocked_at": string,"title": string,"url": string,"variant_id": string,"variant_title": string,"vendor": string
            }[]
                           },
"preview_flow_activation":
{ Args: { "flow_id": string }; Returns: number
                           },
"preview_segment":
{ Args: { "rules": Json,"sample_size"?: number }; Returns: Json
                           },
"preview_template":
{ Args: { "language": string,"template_id": string,"variables"?: Json }; Returns: {
              "body_html": string,"body_text": string,"empty_variables": (string)[],"fell_back": boolean,"subject": string,"used_language": string,"version_id": string
            }[]
                           },
"receive_inbound_email":
{ Args: { "mail": Json }; Returns: {
              "customer_id": string,"duplicate": boolean,"inbound_id": string,"message_id": string,"state": string,"thread_id": string
            }[]
                           },
"record_alert_sends":
{ Args: { "now"?: string,"results": Json }; Returns: number
                           },
"record_campaign_sends":
{ Args: { "now"?: string,"results": Json }; Returns: number
                           },
"record_email_events":
{ Args: { "events": Json }; Returns: {
              "received": number,"recorded": number
            }[]
                           },
"record_flow_email":
{ Args: { "error"?: string,"from_address"?: string,"provider_message_id"?: string,"sent": boolean,"step_run_id": number }; Returns: undefined
                           },
"record_notification_emails":
{ Args: { "now"?: string,"results": Json }; Returns: number
                           },
"record_unsubscribe":
{ Args: { "channel": Database["public"]['Enums']["consent_channel"],"customer_id": string,"evidence"?: Json,"purpose": Database["public"]['Enums']["consent_purpose"] }; Returns: boolean
                           },
"refresh_segments":
{ Args: { "max_segments"?: number }; Returns: number
                           },
"refuse_privacy_request":
{ Args: { "reason": string,"request": string }; Returns: {
              "assignee_id": string | null,
"completed_at": string | null,
"created_at": string,
"customer_id": string | null,
"due_at": string,
"id": string,
"kind": string,
"note": string | null,
"refusal_reason": string | null,
"requested_at": string,
"shopify_request_id": number | null,
"source": string,
"status": string,
"updated_at": string
            }
                          SetofOptions: {
        from: "*"
        to: "privacy_requests"
        isOneToOne: true
        isSetofReturn: false
      } },
"render_template":
{ Args: { "language": string,"template_key": string,"variables"?: Json }; Returns: {
              "body_html": string,"body_text": string,"subject": string
            }[]
                           },
"report_activity":
{ Args: { "from_day": string,"timezone"?: string,"to_day": string }; Returns: {
              "calls": number,"emails": number,"meetings": number,"member_id": string,"member_name": string,"notes": number,"tasks": number,"week": string
            }[]
                           },
"report_alert_performance":
{ Args: { "attribution_days"?: number,"from_day": string,"group_by"?: string,"timezone"?: string,"to_day": string }; Returns: {
              "attributed_orders": number,"attributed_revenue": number,"clicked": number,"key": string,"label": string,"opened": number,"sent": number
            }[]
                           },
"report_campaign_performance":
{ Args: { "from_day": string,"timezone"?: string,"to_day": string }; Returns: {
              "attributed_orders": number,"attributed_revenue": number,"campaign": string,"campaign_id": string,"clicked": number,"delivered": number,"opened": number,"sent": number
            }[]
                           },
"report_churn":
{ Args: { "min_risk"?: string,"row_limit"?: number }; Returns: {
              "churn_reasons": Json,"churn_risk": string,"churn_summary": string,"computed_at": string,"customer_id": string,"days_since_last_order": number,"email": string,"full_name": string,"lifetime_value": number,"order_count": number,"rfm_group": string
            }[]
                           },
"report_cohorts":
{ Args: { "from_month": string,"months"?: number,"timezone"?: string }; Returns: {
              "active_customers": number,"cohort": string,"cohort_customers": number,"month_offset": number,"retention": number,"revenue": number
            }[]
                           },
"report_customer_geography":
{ Args: { "by"?: string,"from_day": string,"timezone"?: string,"to_day": string }; Returns: {
              "buyers": number,"country": string,"customers": number,"new_customers": number,"region": string,"revenue": number
            }[]
                           },
"report_customer_growth":
{ Args: { "from_day": string,"grain"?: string,"timezone"?: string,"to_day": string }; Returns: {
              "country": string,"new_customers": number,"period": string
            }[]
                           },
"report_revenue_by_country":
{ Args: { "from_day": string,"timezone"?: string,"to_day": string }; Returns: {
              "average_order_value": number,"country": string,"customers": number,"fx_effect": number,"orders": number,"revenue": number,"revenue_at_today_rates": number
            }[]
                           },
"report_revenue_by_period":
{ Args: { "from_day": string,"grain"?: string,"timezone"?: string,"to_day": string }; Returns: {
              "average_order_value": number,"orders": number,"period": string,"revenue": number
            }[]
                           },
"report_revenue_seasonality":
{ Args: { "from_day": string,"timezone"?: string,"to_day": string }; Returns: {
              "bucket": number,"dimension": string,"orders": number,"revenue": number
            }[]
                           },
"report_segment_sizes":
{ Args: { "from_day": string,"grain"?: string,"timezone"?: string,"to_day": string }; Returns: {
              "joined": number,"left": number,"members": number,"name": string,"period": string,"segment_id": string
            }[]
                           },
"report_segments":
{ Args: { "from_day": string,"timezone"?: string,"to_day": string }; Returns: {
              "joined": number,"left": number,"members_at_end": number,"members_at_start": number,"name": string,"revenue": number,"segment_id": string
            }[]
                           },
"report_top_customers":
{ Args: { "from_day": string,"rank_by"?: string,"row_limit"?: number,"timezone"?: string,"to_day": string }; Returns: {
              "country": string,"customer_id": string,"email": string,"full_name": string,"lifetime_value": number,"orders": number,"revenue": number
            }[]
                           },
"report_top_products":
{ Args: { "from_day": string,"group_by"?: string,"row_limit"?: number,"timezone"?: string,"to_day": string }; Returns: {
              "favourites": number,"key": string,"label": string,"orders": number,"out_of_stock_favourites": number,"refund_rate": number,"revenue": number,"units": number
            }[]
                           },
"report_workload":
{ Args: Record<PropertyKey, never>; Returns: {
              "customers_owned": number,"member_id": string,"member_name": string,"open_tasks": number,"overdue_tasks": number,"role": Database["public"]['Enums']["team_role"]
            }[]
                           },
"request_my_erasure":
{ Args: Record<PropertyKey, never>; Returns: {
              "assignee_id": string | null,
"completed_at": string | null,
"created_at": string,
"customer_id": string | null,
"due_at": string,
"id": string,
"kind": string,
"note": string | null,
"refusal_reason": string | null,
"requested_at": string,
"shopify_request_id": number | null,
"source": string,
"status": string,
"updated_at": string
            }
                          SetofOptions: {
        from: "*"
        to: "privacy_requests"
        isOneToOne: true
        isSetofReturn: false
      } },
"resolve_campaign_sends":
{ Args: { "now"?: string,"results": Json }; Returns: number
                           },
"resolve_flow_emails":
{ Args: { "from_address"?: string,"results": Json }; Returns: number
                           },
"resume_campaign":
{ Args: { "campaign_id": string }; Returns: Database["public"]['Enums']["campaign_status"]
                           },
"retention_overview":
{ Args: Record<PropertyKey, never>; Returns: {
              "cutoff": string,"days": number,"kind": string,"last_complete": boolean,"last_removed": number,"last_run_at": string,"waiting": number
            }[]
                           },
"retry_failed_webhooks":
{ Args: { "batch_size"?: number,"due_only"?: boolean }; Returns: number
                           },
"revenue_by_day":
{ Args: { "from_date": string,"timezone"?: string,"to_date": string }; Returns: {
              "day": string,"orders": number,"revenue": number
            }[]
                           },
"run_affiliate_feed_now":
{ Args: { "feed_id": string }; Returns: undefined
                           },
"run_alert_check":
{ Args: { "max_events"?: number,"now"?: string }; Returns: {
              "events": number,"queued": number,"suppressed": number
            }[]
                           },
"run_flows":
{ Args: { "batch_size"?: number,"now"?: string }; Returns: Json
                           },
"score_customers":
{ Args: { "at"?: string }; Returns: {
              "scored": number,"stages_moved": number
            }[]
                           },
"search_customer_list":
{ Args: { "query": string }; Returns: {
              "average_order_value": number | null,
"city": string | null,
"company": string | null,
"country": string | null,
"created_at": string,
"currency": string | null,
"custom_fields": NonNullable<Json>,
"email": string | null,
"email_lower": string | null,
"first_name": string | null,
"first_order_at": string | null,
"full_name": string | null,
"id": string,
"language": string | null,
"last_name": string | null,
"last_order_at": string | null,
"lifecycle_stage": string,
"lifetime_value": number,
"order_count": number,
"owner_id": string | null,
"owner_name": string | null,
"phone": string | null,
"region": string | null,
"source": string,
"status": Database["public"]['Enums']["customer_status"],
"style_interests": (string)[],
"tag_names": (string)[] | null,
"timezone": string | null,
"updated_at": string
            }[]
                          SetofOptions: {
        from: "*"
        to: "customer_list"
        isOneToOne: false
        isSetofReturn: true
      } },
"search_customers":
{ Args: { "query": string,"result_limit"?: number }; Returns: {
              "average_order_value": number | null,
"city": string | null,
"company": string | null,
"country": string | null,
"created_at": string,
"currency": string | null,
"custom_fields": NonNullable<Json>,
"email": string | null,
"email_lower": string | null,
"first_name": string | null,
"first_order_at": string | null,
"full_name": string | null,
"id": string,
"language": string | null,
"last_name": string | null,
"last_order_at": string | null,
"lifecycle_stage": string,
"lifetime_value": number,
"order_count": number,
"owner_id": string | null,
"owner_name": string | null,
"phone": string | null,
"region": string | null,
"source": string,
"status": Database["public"]['Enums']["customer_status"],
"style_interests": (string)[],
"tag_names": (string)[] | null,
"timezone": string | null,
"updated_at": string
            }[]
                          SetofOptions: {
        from: "*"
        to: "customer_list"
        isOneToOne: false
        isSetofReturn: true
      } },
"search_orders":
{ Args: { "query": string,"result_limit"?: number }; Returns: {
              "currency": string,"customer_id": string,"customer_name": string,"financial_status": Database["public"]['Enums']["order_financial_status"],"fulfillment_status": Database["public"]['Enums']["order_fulfillment_status"],"id": string,"order_number": string,"placed_at": string,"total": number
            }[]
                           },
"segment_customer_list":
{ Args: { "query"?: string,"segment_id": string }; Returns: {
              "average_order_value": number | null,
"city": string | null,
"company": string | null,
"country": string | null,
"created_at": string,
"currency": string | null,
"custom_fields": NonNullable<Json>,
"email": string | null,
"email_lower": string | null,
"first_name": string | null,
"first_order_at": string | null,
"full_name": string | null,
"id": string,
"language": string | null,
"last_name": string | null,
"last_order_at": string | null,
"lifecycle_stage": string,
"lifetime_value": number,
"order_count": number,
"owner_id": string | null,
"owner_name": string | null,
"phone": string | null,
"region": string | null,
"source": string,
"status": Database["public"]['Enums']["customer_status"],
"style_interests": (string)[],
"tag_names": (string)[] | null,
"timezone": string | null,
"updated_at": string
            }[]
                          SetofOptions: {
        from: "*"
        to: "customer_list"
        isOneToOne: false
        isSetofReturn: true
      } },
"segment_member_ids":
{ Args: { "segment_id": string }; Returns: string[]
                           },
"segment_size_history":
{ Args: { "from_day": string,"segment_id": string,"timezone"?: string,"to_day": string }; Returns: {
              "day": string,"joined": number,"left": number,"members": number
            }[]
                           },
"send_campaign":
{ Args: { "campaign_id": string }; Returns: Json
                           },
"set_favorite":
{ Args: { "favourite": boolean,"variant": string }; Returns: boolean
                           },
"set_shop_webhook_secret":
{ Args: { "secret": string,"shop_id": string }; Returns: undefined
                           },
"shop_previous_webhook_secret":
{ Args: { "shop_domain": string }; Returns: string
                           },
"shop_webhook_secret":
{ Args: { "shop_domain": string }; Returns: string
                           },
"shopify_credentials":
{ Args: { "shop_id": string }; Returns: {
              "access_token": string,"auth_kind": string,"client_id": string,"client_secret": string,"domain": string,"token_expires_at": string
            }[]
                           },
"shopify_delivery_health":
{ Args: { "shop_id": string }; Returns: {
              "applied": number,"failed": number,"ignored": number,"last_received_at": string,"next_retry_at": string,"received": number,"waiting_retry": number
            }[]
                           },
"shopify_forget_connection":
{ Args: { "actor": string,"shop_id": string }; Returns: undefined
                           },
"shopify_import_apply_chunk":
{ Args: { "failures"?: Json,"from_offset": number,"import_id": string,"import_phase"?: string,"records": Json,"roots": number,"to_offset": number }; Returns: Json
                           },
"shopify_import_claim":
{ Args: Record<PropertyKey, never>; Returns: {
              "bulk_operation_id": string | null,
"bulk_url": string | null,
"byte_offset": number,
"chunks": number,
"finished_at": string | null,
"id": string,
"kind": string,
"last_error": string | null,
"leased_until": string | null,
"phase": string,
"phase_total": number | null,
"requested_by": string | null,
"row_chunks": number,
"rows_done": number,
"rows_failed": number,
"rows_fixed": number,
"rows_total": number | null,
"shop_id": string,
"since": string | null,
"started_at": string,
"status": string,
"updated_at": string
            }[]
                          SetofOptions: {
        from: "*"
        to: "shop_imports"
        isOneToOne: false
        isSetofReturn: true
      } },
"shopify_import_continue":
{ Args: { "import_id": string }; Returns: boolean
                           },
"shopify_import_progress":
{ Args: { "bulk_operation_id"?: string,"bulk_url"?: string,"expected_phase"?: string,"import_id": string,"last_error"?: string,"phase"?: string,"phase_total"?: number,"release"?: boolean,"reset_offset"?: boolean,"status"?: string }; Returns: undefined
                           },
"shopify_import_refresh_metrics":
{ Args: { "batch"?: number,"import_id": string }; Returns: number
                           },
"shopify_may_manage":
{ Args: Record<PropertyKey, never>; Returns: boolean
                           },
"shopify_reconcile_apply_chunk":
{ Args: { "failures"?: Json,"from_offset": number,"import_id": string,"import_phase"?: string,"records": Json,"roots": number,"to_offset": number }; Returns: Json
                           },
"shopify_record_token":
{ Args: { "access_token": string,"shop_id": string,"token_expires_at": string }; Returns: undefined
                           },
"shopify_record_token_failure":
{ Args: { "reason": string,"shop_id": string }; Returns: undefined
                           },
"shopify_record_webhooks":
{ Args: { "actor": string,"shop_id": string,"webhooks": Json }; Returns: undefined
                           },
"shopify_rotate_secret":
{ Args: { "actor": string,"client_secret": string,"grace"?: string,"shop_id": string }; Returns: undefined
                           },
"shopify_save_connection":
{ Args: { "access_token": string,"actor": string,"auth_kind": string,"client_id": string,"client_secret": string,"currency": string,"domain": string,"scopes": (string)[],"shop_name": string,"timezone": string,"token_expires_at": string,"webhook_url": string }; Returns: string
                           },
"shopify_start_import":
{ Args: { "actor": string,"shop_id": string }; Returns: string
                           },
"shopify_tokens_to_renew":
{ Args: Record<PropertyKey, never>; Returns: {
              "shop_id": string
            }[]
                           },
"similar_products":
{ Args: { "how_many"?: number,"product": string }; Returns: {
              "currency": string,"image_url": string,"price": number,"product_id": string,"score": number,"title": string,"variant_id": string,"vendor": string
            }[]
                           },
"snooze_task":
{ Args: { "task_id": string,"until": string }; Returns: {
              "assignee_id": string | null,
"attachments": NonNullable<Json>,
"author_id": string | null,
"body": string | null,
"completed_at": string | null,
"created_at": string,
"customer_id": string,
"customer_owner_id": string | null,
"deal_id": string | null,
"direction": Database["public"]['Enums']["communication_direction"] | null,
"due_at": string | null,
"id": string,
"kind": Database["public"]['Enums']["activity_kind"],
"metadata": NonNullable<Json>,
"remind_at": string | null,
"subject": string | null,
"task_type": Database["public"]['Enums']["task_type"] | null,
"thread_id": string | null,
"updated_at": string
            }
                          SetofOptions: {
        from: "*"
        to: "activities"
        isOneToOne: true
        isSetofReturn: false
      } },
"storefront_favorite":
{ Args: { "favourite"?: boolean,"set_variant"?: number,"shop_domain": string,"shopify_customer_id": number,"signature": string,"variant_ids"?: (number)[] }; Returns: Json
                           },
"swap_stage_positions":
{ Args: { "first": string,"second": string }; Returns: undefined
                           },
"take_segment_snapshot":
{ Args: { "name": string,"segment_id": string }; Returns: string
                           },
"team_directory":
{ Args: Record<PropertyKey, never>; Returns: {
              "active": boolean,"avatar_url": string,"created_at": string,"email": string,"full_name": string,"invitation_pending": boolean,"invited_at": string,"language": string,"last_sign_in_at": string,"role": Database["public"]['Enums']["team_role"],"timezone": string,"user_id": string
            }[]
                           },
"team_invitation_check":
{ Args: { "address": string }; Returns: string
                           },
"unread_notification_count":
{ Args: { "cap"?: number }; Returns: number
                           }
          }
          Enums: {
            "activity_kind": "note"|"call"|"meeting"|"email"|"task"|"system","alert_kind": "back_in_stock"|"price_drop","alert_state": "queued"|"sent"|"deferred"|"suppressed"|"failed","campaign_recipient_state": "queued"|"deferred"|"claimed"|"in_doubt"|"sent"|"failed"|"excluded"|"cancelled","campaign_schedule": "now"|"at"|"local_time","campaign_status": "draft"|"scheduled"|"sending"|"paused"|"cancelled"|"done","communication_direction": "inbound"|"outbound","consent_channel": "email"|"sms"|"phone"|"post"|"push","consent_purpose": "marketing"|"newsletter"|"alerts"|"profiling","consent_source": "signup_form"|"portal"|"staff"|"import"|"shopify"|"unsubscribe_link"|"email_provider"|"api","consent_status": "granted"|"withdrawn","custom_field_type": "text"|"number"|"boolean"|"date"|"select"|"multiselect"|"url"|"email","customer_status": "active"|"inactive"|"vip"|"blocked","email_purpose": "transactional"|"marketing"|"alert","flow_status": "draft"|"active"|"paused","message_status": "queued"|"sent"|"delivered"|"opened"|"clicked"|"bounced"|"failed","notification_delivery": "in_app"|"email_now"|"email_digest"|"off","notification_kind": "new_order"|"task_assigned"|"task_due"|"mention"|"delivery_failed"|"deal_won"|"system"|"deal_lost"|"customer_assigned"|"customer_reply"|"email_bounced"|"integration_failed","order_financial_status": "pending"|"authorized"|"partially_paid"|"paid"|"partially_refunded"|"refunded"|"voided","order_fulfillment_status": "unfulfilled"|"partially_fulfilled"|"fulfilled"|"restocked","product_status": "active"|"draft"|"archived","task_type": "to_do"|"call"|"email"|"meeting"|"follow_up"|"deadline","team_role": "admin"|"manager"|"agent"|"readonly","thread_status": "open"|"closed","webhook_delivery_status": "received"|"applied"|"ignored"|"failed"
          }
          CompositeTypes: {
            [_ in never]: never
          }
        }
}

type DatabaseWithoutInternals = Omit<Database, '__InternalSupabase'>

type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, "public">]

export type Tables<
  DefaultSchemaTableNameOrOptions extends
    | keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
        DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])
    : never = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
      DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])[TableName] extends {
      Row: infer R
    }
    ? R
    : never
  : DefaultSchemaTableNameOrOptions extends keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
  ? (DefaultSchema["Tables"] & DefaultSchema["Views"])[DefaultSchemaTableNameOrOptions] extends {
      Row: infer R
    }
    ? R
    : never
  : never

export type TablesInsert<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Insert: infer I
    }
    ? I
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
  ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
      Insert: infer I
    }
    ? I
    : never
  : never

export type TablesUpdate<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never = never
> = DefaultSchemaTableNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Update: infer U
    }
    ? U
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
  ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
      Update: infer U
    }
    ? U
    : never
  : never

export type Enums<
  DefaultSchemaEnumNameOrOptions extends
    | keyof DefaultSchema["Enums"]
    | { schema: keyof DatabaseWithoutInternals },
  EnumName extends DefaultSchemaEnumNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"]
    : never = never
> = DefaultSchemaEnumNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"][EnumName]
  : DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema["Enums"]
  ? DefaultSchema["Enums"][DefaultSchemaEnumNameOrOptions]
  : never

export type CompositeTypes<
  PublicCompositeTypeNameOrOptions extends
    | keyof DefaultSchema["CompositeTypes"]
    | { schema: keyof DatabaseWithoutInternals },
  CompositeTypeName extends PublicCompositeTypeNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"]
    : never = never
> = PublicCompositeTypeNameOrOptions extends { schema: keyof DatabaseWithoutInternals }
  ? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"][CompositeTypeName]
  : PublicCompositeTypeNameOrOptions extends keyof DefaultSchema["CompositeTypes"]
  ? DefaultSchema["CompositeTypes"][PublicCompositeTypeNameOrOptions]
  : never

export const Constants = {
  "public": {
          Enums: {
            "activity_kind": ["note", "call", "meeting", "email", "task", "system"],"alert_kind": ["back_in_stock", "price_drop"],"alert_state": ["queued", "sent", "deferred", "suppressed", "failed"],"campaign_recipient_state": ["queued", "deferred", "claimed", "in_doubt", "sent", "failed", "excluded", "cancelled"],"campaign_schedule": ["now", "at", "local_time"],"campaign_status": ["draft", "scheduled", "sending", "paused", "cancelled", "done"],"communication_direction": ["inbound", "outbound"],"consent_channel": ["email", "sms", "phone", "post", "push"],"consent_purpose": ["marketing", "newsletter", "alerts", "profiling"],"consent_source": ["signup_form", "portal", "staff", "import", "shopify", "unsubscribe_link", "email_provider", "api"],"consent_status": ["granted", "withdrawn"],"custom_field_type": ["text", "number", "boolean", "date", "select", "multiselect", "url", "email"],"customer_status": ["active", "inactive", "vip", "blocked"],"email_purpose": ["transactional", "marketing", "alert"],"flow_status": ["draft", "active", "paused"],"message_status": ["queued", "sent", "delivered", "opened", "clicked", "bounced", "failed"],"notification_delivery": ["in_app", "email_now", "email_digest", "off"],"notification_kind": ["new_order", "task_assigned", "task_due", "mention", "delivery_failed", "deal_won", "system", "deal_lost", "customer_assigned", "customer_reply", "email_bounced", "integration_failed"],"order_financial_status": ["pending", "authorized", "partially_paid", "paid", "partially_refunded", "refunded", "voided"],"order_fulfillment_status": ["unfulfilled", "partially_fulfilled", "fulfilled", "restocked"],"product_status": ["active", "draft", "archived"],"task_type": ["to_do", "call", "email", "meeting", "follow_up", "deadline"],"team_role": ["admin", "manager", "agent", "readonly"],"thread_status": ["open", "closed"],"webhook_delivery_status": ["received", "applied", "ignored", "failed"]
          }
        }
} as const
